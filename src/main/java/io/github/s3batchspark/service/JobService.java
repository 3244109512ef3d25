package io.github.s3batchspark.service;

import io.github.s3batchspark.job.JobControl;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.LeaseHeldException;
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
 * ({@link PriorityShares}), so that a priority changed on a running job takes effect within
 * seconds. Several services may share one store: a job's lease lets one run it.
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

  private final SparkSession spark;
  private final JobStore store;
  private final RunSettings settings;
  private final int maxRunning;
  private final RunNotices notices;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService runs;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private volatile Map<String, Double> shares = Map.of();
  private volatile boolean closing;

  /** A job this service runs, its priority as last read, and its control once it holds it. */
  private static final class Running {
    volatile int priority;
    volatile JobControl control;

    Running(int priority) {
      this.priority = priority;
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
          running.put(job.jobId(), new Running(job.priority()));
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

  private void run(JobRecord job) {
    String jobId = job.jobId();
    try {
      SparkSession session = spark.newSession();
      session.sparkContext().setLocalProperty("spark.scheduler.pool", "s3batch-" + jobId);
      LOG.info("Job service: running job {} (priority {})", jobId, job.priority());
      RunHooks hooks = RunHooks.none()
          .withShare(() -> shares.getOrDefault(jobId, 1.0))
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
