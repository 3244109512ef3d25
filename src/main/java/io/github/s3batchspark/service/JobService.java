package io.github.s3batchspark.service;

import io.github.s3batchspark.job.JobControl;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.LeaseHeldException;
import io.github.s3batchspark.job.ObjectsDone;
import io.github.s3batchspark.job.RunHooks;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.notify.NoticeSettings;
import io.github.s3batchspark.notify.RunNotices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the job store's jobs in one Spark application: every {@code poll} it reads the store,
 * starts the runnable jobs ({@link RunnableJobs}) in priority order while fewer than
 * {@code maxRunning} run, and gives each running job its share of the requests in flight
 * ({@link PriorityShares}). Every {@link #SHARE_EVERY} it also measures the running jobs' rates
 * and caps the objects per second of those that take more than their priority's share
 * ({@link RateShares}): the window's share binds while the executors wait on S3, the cap while
 * they are short of CPU. A priority changed on a running job takes effect within seconds.
 * Several services may share one store: a job's lease lets one run it.
 *
 * <p>Each job runs in a thread of its own, in a Spark session of its own (its SQL settings
 * apart) and a fair-scheduler pool of its own (its task slots apart). Closing the service
 * pauses its running jobs: they stop taking objects, commit what ran, release their leases and
 * wait Paused for the next service or {@code run --job-id}.
 *
 * <p>Each run may be wrapped with notices and metrics ({@code notify.RunNotices}): told of when
 * its job ends, never changed by them.
 */
public final class JobService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
  /** How long closing waits for running jobs to commit and release their leases. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(90);
  /** How often the jobs' rates are measured and their caps on starts recomputed. */
  static final Duration SHARE_EVERY = Duration.ofSeconds(1);
  /**
   * How long the jobs' combined rate is remembered: while a job's new wave has no rate yet,
   * the caps are shares of what the jobs did together lately (see {@link RateShares}).
   */
  static final long COMBINED_HELD_NANOS = 30_000_000_000L;
  /** How often the caps, while there are any, are logged with the rates they came from. */
  private static final long LOG_CAPS_EVERY_NANOS = 5_000_000_000L;

  private final SparkSession spark;
  private final JobStore store;
  private final RunSettings settings;
  private final int maxRunning;
  private final RunNotices notices;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService runs;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private volatile Map<String, Double> shares = Map.of();
  private volatile Map<String, Double> startCaps = Map.of();
  /** How far back a job's rate is measured: three executor heartbeats, which bring counts. */
  private final long rateWindowNanos;
  private long capsLoggedNanos = System.nanoTime() - LOG_CAPS_EVERY_NANOS;
  /** The jobs' combined rate of each recent second, newest last (the service thread's). */
  private final java.util.ArrayDeque<long[]> recentCombined = new java.util.ArrayDeque<>();
  private volatile boolean closing;

  /**
   * A job this service runs, its priority as last read, its control once it holds it, and its
   * recent rate.
   */
  private static final class Running {
    volatile int priority;
    volatile JobControl control;
    final RecentRate rate;

    Running(int priority, long rateWindowNanos) {
      this.priority = priority;
      this.rate = new RecentRate(rateWindowNanos);
    }
  }

  private JobService(SparkSession spark, JobStore store, RunSettings settings, int maxRunning,
      NoticeSettings notices) {
    if (maxRunning < 1) {
      throw new IllegalArgumentException("the jobs run at once must be at least 1, got "
          + maxRunning);
    }
    this.spark = spark;
    this.store = store;
    this.settings = settings;
    this.maxRunning = maxRunning;
    this.notices = new RunNotices(notices, Clock.systemUTC());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("s3batch-service"));
    this.runs = Executors.newCachedThreadPool(daemon("s3batch-service-run"));
    long heartbeat = spark.sparkContext().conf().getTimeAsMs("spark.executor.heartbeatInterval",
        "10s");
    this.rateWindowNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(3_000, 3 * heartbeat));
  }

  /** Starts a service that reads the store every {@code poll}. */
  public static JobService start(SparkSession spark, JobStore store, RunSettings settings,
      int maxRunning, Duration poll) {
    return start(spark, store, settings, maxRunning, poll,
        NoticeSettings.none(settings.clients()));
  }

  /**
   * Starts a service as {@link #start(SparkSession, JobStore, RunSettings, int, Duration)} does,
   * telling of its jobs' ends (and metrics) as {@code notices} say.
   */
  public static JobService start(SparkSession spark, JobStore store, RunSettings settings,
      int maxRunning, Duration poll, NoticeSettings notices) {
    JobService service = new JobService(spark, store, settings, maxRunning, notices);
    service.scheduler.scheduleWithFixedDelay(service::tick, 0, poll.toMillis(),
        TimeUnit.MILLISECONDS);
    service.scheduler.scheduleWithFixedDelay(service::shareRates, SHARE_EVERY.toMillis(),
        SHARE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return service;
  }

  /** The jobs this service is running now. */
  public java.util.Set<String> running() {
    return java.util.Set.copyOf(running.keySet());
  }

  private void tick() {
    if (closing) {
      return;
    }
    try {
      var jobs = store.list().jobs();
      Map<String, Integer> priorities = new HashMap<>();
      for (JobRecord job : jobs) {
        Running r = running.get(job.jobId());
        if (r != null) {
          r.priority = job.priority();
        }
      }
      running.forEach((id, r) -> priorities.put(id, r.priority));
      for (JobRecord job : RunnableJobs.inOrder(jobs, Instant.now())) {
        if (running.size() >= maxRunning) {
          break;
        }
        if (!running.containsKey(job.jobId())) {
          priorities.put(job.jobId(), job.priority());
          running.put(job.jobId(), new Running(job.priority(), rateWindowNanos));
          shares = PriorityShares.of(priorities);
          runs.submit(() -> run(job));
        }
      }
      shares = PriorityShares.of(priorities);
    } catch (RuntimeException e) {
      LOG.warn("Job service: cannot read the job store {}: {}", store.location(),
          e.getMessage());
    }
  }

  /** Measures each running job's rate and sets the caps on starts for the next second. */
  private void shareRates() {
    if (closing) {
      return;
    }
    try {
      long now = System.nanoTime();
      Map<String, RateShares.Job> jobs = new HashMap<>();
      running.forEach((id, r) -> {
        JobControl control = r.control;
        ObjectsDone done = control == null ? null : control.objectsDone();
        double cap = startCaps.getOrDefault(id, RateShares.NONE);
        if (done == null) {
          r.rate.notRunning();
          jobs.put(id, new RateShares.Job(r.priority, false, 0, cap));
        } else {
          jobs.put(id, new RateShares.Job(r.priority, true, r.rate.perSecond(control, done,
              now), cap));
        }
      });
      Map<String, Double> caps = RateShares.caps(jobs, heldCombined(jobs, now));
      startCaps = caps;
      logCaps(jobs, caps, now);
    } catch (RuntimeException e) {
      LOG.warn("Job service: cannot share the rates of the running jobs: {}", e.getMessage());
    }
  }

  /** The most the jobs did together in the last {@link #COMBINED_HELD_NANOS}, now included. */
  private double heldCombined(Map<String, RateShares.Job> jobs, long now) {
    recentCombined.addLast(new long[] {now, Math.round(RateShares.combined(jobs))});
    while (now - recentCombined.peekFirst()[0] > COMBINED_HELD_NANOS) {
      recentCombined.pollFirst();
    }
    return recentCombined.stream().mapToLong(c -> c[1]).max().orElse(0);
  }

  private void logCaps(Map<String, RateShares.Job> jobs, Map<String, Double> caps, long now) {
    boolean capped = caps.values().stream().anyMatch(c -> c != RateShares.NONE);
    if (!capped || now - capsLoggedNanos < LOG_CAPS_EVERY_NANOS) {
      return;
    }
    capsLoggedNanos = now;
    StringBuilder line = new StringBuilder();
    jobs.forEach((id, job) -> line.append(String.format(java.util.Locale.ROOT,
        "%n  job %s, priority %d: %s, %s", id, job.priority(), !job.inWave() ? "no wave running"
            : job.rateKnown() ? String.format(java.util.Locale.ROOT, "%.0f objects/s",
                job.objectsPerSecond()) : "rate not known yet",
        caps.get(id) == RateShares.NONE ? "no cap"
            : String.format(java.util.Locale.ROOT, "capped at %.0f/s", caps.get(id)))));
    LOG.info("Job service: the running jobs' rates and caps on starts:{}", line);
  }

  private void run(JobRecord job) {
    String jobId = job.jobId();
    try {
      SparkSession session = spark.newSession();
      session.sparkContext().setLocalProperty("spark.scheduler.pool", "s3batch-" + jobId);
      LOG.info("Job service: running job {} (priority {})", jobId, job.priority());
      RunHooks hooks = RunHooks.none()
          .withShare(() -> shares.getOrDefault(jobId, 1.0))
          .withStartsPerSecond(() -> startCaps.getOrDefault(jobId, RateShares.NONE))
          .onStart(control -> {
            Running r = running.get(jobId);
            if (r != null) {
              r.control = control;
            }
            if (closing) {
              control.pause();
            }
          });
      JobRecord ended = notices.run(store, jobId, hooks,
          h -> new JobRunner(session, store, settings).run(jobId, h));
      LOG.info("Job service: job {} is {}", jobId, ended.status());
    } catch (LeaseHeldException e) {
      LOG.info("Job service: job {} is run elsewhere: {}", jobId, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("Job service: job {} stopped: {}", jobId, e.getMessage());
    } finally {
      running.remove(jobId);
    }
  }

  /**
   * Stops taking jobs, pauses the running ones and waits (at most {@link #CLOSE_WAIT}) for them
   * to commit what ran and release their leases.
   */
  @Override
  public void close() {
    closing = true;
    scheduler.shutdownNow();
    running.values().forEach(r -> {
      if (r.control != null) {
        r.control.pause();
      }
    });
    runs.shutdown();
    try {
      if (!runs.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Job service: jobs {} did not pause within {} s; their leases expire by"
            + " themselves", running.keySet(), CLOSE_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
