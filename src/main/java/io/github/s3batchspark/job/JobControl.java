package io.github.s3batchspark.job;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.github.s3batchspark.execution.FileSteering;
import io.github.s3batchspark.execution.TaskCounters;
import io.github.s3batchspark.execution.TaskSignals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.metrics.source.Source;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's hold on its job and the line between the job's record and its running tasks, which
 * the stages consult between their steps.
 *
 * <p>Taking it takes the job's {@link RunLease}; a second run is refused while the lease is
 * fresh, and takes it over once it is not. While the run lasts, a heartbeat every
 * {@link #HEARTBEAT} renews the lease and, once the tasks run, writes their live counts into the
 * record's {@code ProgressSummary} (so {@code describe-job} from anywhere shows them) and hands
 * them to whoever watches the run (the progress line). The same heartbeat reads the user's side
 * of the record: a job moved to Cancelling has its tasks told to stop ({@link FileSteering}),
 * and so does a run whose lease was taken over. Every {@link #STEER_EVERY} it also passes on
 * the run's share of the requests in flight and its cap on starts, when they changed.
 *
 * <p>A run without live progress ({@link RunSettings#liveProgress()} off) counts nothing while
 * its tasks run: no accumulators, no listener on executor heartbeats, no metrics source, no
 * watcher; its heartbeats only renew the lease and read the user's side, and the counts appear
 * when the tasks end.
 */
public final class JobControl implements AutoCloseable {
  /** How often the run renews its lease and writes its progress. */
  static final Duration HEARTBEAT = Duration.ofSeconds(3);
  /**
   * How often the run passes its share and cap on to its tasks: the job service recomputes the
   * caps every second, and the tasks read the steering file about as often.
   */
  static final Duration STEER_EVERY = Duration.ofSeconds(1);
  /** A cap on starts is written again only when it moved by more than this fraction. */
  static final double CAP_CHANGE_WRITTEN = 0.03;
  private static final Logger LOG = LoggerFactory.getLogger(JobControl.class);

  private final JobStore store;
  private final String jobId;
  private final String runId;
  private final SparkContext spark;
  private final JobDirectory directory;
  private final boolean live;
  private final TaskCounters counters;
  private final TaskCountsListener listener;
  private final Broadcast<SerializableConfiguration> hadoopConf;
  private final Consumer<LiveProgress> watcher;
  private final DoubleSupplier share;
  private final DoubleSupplier startsPerSecond;
  /** The share the steering file says now. */
  private double sharedNow = Double.NaN;
  /** The cap on starts per executor JVM the steering file says now. */
  private double startsNow = Double.POSITIVE_INFINITY;
  private volatile boolean pauseRequested;
  private final ScheduledExecutorService heartbeat;
  private final Source metrics;
  private volatile boolean cancelRequested;
  private volatile boolean leaseLost;
  private volatile String stopWritten;
  /** The tasks' phase: null before they start and after they end. */
  private volatile Active active;
  private volatile LiveProgress latest;
  private volatile int wave;
  private volatile boolean inWave;
  /** The counts the run wrote when its tasks ended; heartbeats leave progress alone after. */
  private boolean progressFinal;

  /** The job's tasks running: the counts before this run and when they began. */
  private record Active(long total, long succeededBefore, long activeSecondsBefore,
      long startedNanos) {}

  private JobControl(JobStore store, String jobId, String runId, SparkContext spark,
      boolean live, RunHooks hooks) {
    this.store = store;
    this.jobId = jobId;
    this.runId = runId;
    this.spark = spark;
    this.directory = JobDirectory.of(store, jobId);
    this.live = live;
    this.counters = live ? TaskCounters.register(spark, "s3batch.run-" + runId)
        : TaskCounters.none();
    this.listener = new TaskCountsListener(counters);
    this.hadoopConf = JavaSparkContext.fromSparkContext(spark)
        .broadcast(new SerializableConfiguration(spark.hadoopConfiguration()));
    this.watcher = hooks.watcher();
    this.share = hooks.share();
    this.startsPerSecond = hooks.startsPerSecond();
    this.metrics = new ProgressSource();
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "s3batch-heartbeat-" + jobId);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Takes the job's lease for a new run and starts its heartbeat.
   *
   * @param timeout      how long after this run's last heartbeat another run may take the job
   *                     over
   * @param liveProgress whether the tasks are counted as they run
   * @param hooks        the run's watcher and share
   * @throws LeaseHeldException when another run holds a fresh lease on the job
   */
  public static JobControl take(JobStore store, SparkContext spark, String jobId,
      Duration timeout, boolean liveProgress, RunHooks hooks) {
    if (timeout.compareTo(HEARTBEAT.multipliedBy(3)) < 0) {
      throw new IllegalArgumentException("the lease timeout must be at least "
          + HEARTBEAT.multipliedBy(3).toSeconds() + " s (three heartbeats), got "
          + timeout.toSeconds() + " s");
    }
    String runId = UUID.randomUUID().toString();
    RunLease lease = new RunLease(runId, host(), spark.applicationId(), Instant.now(), timeout);
    store.update(jobId, Owner.RUNNER, stored -> {
      RunLease held = stored.lease();
      Instant now = Instant.now();
      if (held != null && !held.heldBy(runId) && held.isFresh(now)) {
        throw new LeaseHeldException(jobId, held, held.age(now).toSeconds());
      }
      if (held != null && !held.heldBy(runId)) {
        LOG.warn("Job {}: taking over from {}, whose last heartbeat was {} s ago", jobId,
            held.holder(), held.age(now).toSeconds());
      }
      return stored.withLease(lease.renewed(now));
    });
    JobControl control = new JobControl(store, jobId, runId, spark, liveProgress, hooks);
    control.steer();
    if (liveProgress) {
      spark.addSparkListener(control.listener);
    }
    long every = HEARTBEAT.toMillis();
    control.heartbeat.scheduleWithFixedDelay(control::beat, every, every, TimeUnit.MILLISECONDS);
    long steerEvery = STEER_EVERY.toMillis();
    control.heartbeat.scheduleWithFixedDelay(control::steer, steerEvery, steerEvery,
        TimeUnit.MILLISECONDS);
    return control;
  }

  /** What this run's tasks obey and count with. */
  public TaskSignals signals() {
    return new TaskSignals(new FileSteering(directory.steeringFile(runId), hadoopConf),
        counters);
  }

  public JobDirectory directory() {
    return directory;
  }

  /**
   * The tasks begin: from now on heartbeats write live counts, on top of what earlier runs of the
   * job left ({@code succeededBefore} tasks, {@code activeSecondsBefore} Active).
   */
  public void tasksBegin(long total, long succeededBefore, long activeSecondsBefore) {
    active = new Active(total, succeededBefore, activeSecondsBefore, System.nanoTime());
    if (live) {
      latest = progress(active);
      registerMetrics();
    }
  }

  /** Time Active so far, over all runs: the Active phase only, not preparing or reports. */
  public long activeSeconds() {
    Active a = active;
    return a == null ? 0 : a.activeSecondsBefore + elapsedSeconds(a);
  }

  /**
   * The tasks have ended: writes their true counts (from their results) into the record, after
   * which heartbeats only renew the lease.
   */
  public synchronized JobRecord tasksEnded(JobProgress done) {
    progressFinal = true;
    active = null;
    return store.update(jobId, Owner.RUNNER, stored -> stored.withProgress(done));
  }

  /**
   * The user asked to cancel the job, the run was asked to pause, or it lost its lease: start no
   * more tasks.
   */
  public boolean stopRequested() {
    return cancelRequested || leaseLost || pauseRequested;
  }

  /**
   * Asks the run to stop its tasks and leave the job Paused, its results committed, to be
   * resumed later (the job service does this when it stops).
   */
  public void pause() {
    pauseRequested = true;
    steer();
  }

  public boolean pauseRequested() {
    return pauseRequested;
  }

  public boolean cancelRequested() {
    return cancelRequested;
  }

  /**
   * Refuses to go on when another run took the job over.
   *
   * @throws LeaseLostException when it did
   */
  public void checkLease() {
    if (leaseLost) {
      throw new LeaseLostException(jobId, store.get(jobId).lease());
    }
  }

  /**
   * The objects this run's tasks have ended so far, as of the last heartbeat or task end that
   * brought counts; null while no wave of its tasks runs (preparing, between waves,
   * reporting).
   */
  public ObjectsDone objectsDone() {
    if (!live || active == null || !inWave) {
      return null;
    }
    TaskCountsListener.Counts counts = listener.counts();
    return new ObjectsDone(counts.succeeded() + counts.failed(), listener.movedNanos(), wave);
  }

  /** A wave of the run's tasks is running on the executors (its Spark job submitted). */
  void waveBegins() {
    wave++;
    inWave = true;
  }

  /** The wave's Spark job has ended: until the next one, the run starts no objects. */
  void waveEnds() {
    inWave = false;
  }

  /** The latest live counts, or null before the tasks begin and in a run without them. */
  public LiveProgress latest() {
    return latest;
  }

  /** Stops the heartbeat and releases the lease (unless another run holds it now). */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    spark.removeSparkListener(listener);
    SparkEnv env = SparkEnv.get();
    if (env != null && live) {
      env.metricsSystem().removeSource(metrics);
    }
    hadoopConf.destroy();
    removeSteeringFile();
    if (!leaseLost) {
      try {
        store.update(jobId, Owner.RUNNER, stored -> stored.lease() != null
            && stored.lease().heldBy(runId) ? stored.withLease(null) : stored);
      } catch (RuntimeException e) {
        LOG.warn("Job {}: could not release the run's lease ({}); it expires by itself",
            jobId, e.getMessage());
      }
    }
  }

  /** One heartbeat: renew the lease, write live counts, read what the user asked. */
  private synchronized void beat() {
    Active a = active;
    LiveProgress now = a == null || !live ? null : progress(a);
    try {
      JobRecord stored = store.update(jobId, Owner.RUNNER, record -> {
        RunLease held = record.lease();
        if (held == null || !held.heldBy(runId)) {
          throw new LeaseLostException(jobId, held);
        }
        JobRecord next = record.withLease(held.renewed(Instant.now()));
        boolean running = record.status() == JobStatus.ACTIVE
            || record.status() == JobStatus.CANCELLING;
        return now != null && running && !progressFinal
            ? next.withProgress(now.toJobProgress()) : next;
      });
      if (stored.status() == JobStatus.CANCELLING && !cancelRequested) {
        LOG.warn("Job {}: cancel requested; its tasks stop within seconds", jobId);
        cancelRequested = true;
      }
      steer();
    } catch (LeaseLostException e) {
      LOG.error("Job {}: {}", jobId, e.getMessage());
      leaseLost = true;
      steer();
    } catch (RuntimeException e) {
      // The store did not answer this time; the lease lasts until its timeout, so try again.
      LOG.warn("Job {}: heartbeat not written: {}", jobId, e.getMessage());
    }
    if (now != null) {
      latest = now;
      try {
        watcher.accept(now);
      } catch (RuntimeException e) {
        LOG.warn("Job {}: progress watcher failed: {}", jobId, e.getMessage());
      }
    }
  }

  private LiveProgress progress(Active a) {
    TaskCountsListener.Counts counts = listener.counts();
    long seconds = elapsedSeconds(a);
    double elapsed = (System.nanoTime() - a.startedNanos) / 1e9;
    long done = counts.succeeded() + counts.failed();
    return new LiveProgress(jobId, a.total, a.succeededBefore + counts.succeeded(),
        counts.failed(), counts.retried(), counts.throttled(), a.activeSecondsBefore + seconds,
        elapsed < 0.5 ? 0 : done / elapsed);
  }

  private static long elapsedSeconds(Active a) {
    return (System.nanoTime() - a.startedNanos) / 1_000_000_000L;
  }

  /**
   * Writes what the tasks must obey (a stop and why, the run's share of the window, its cap on
   * starts per executor JVM) when it differs from what the steering file says; the tasks read
   * it about once a second.
   */
  private synchronized void steer() {
    String stop = cancelRequested ? "cancelled" : leaseLost ? "lease lost"
        : pauseRequested ? "paused" : null;
    double wanted = share();
    double starts = startsPerJvm();
    if (stop == null && wanted == 1.0 && Double.isNaN(sharedNow)
        && starts == Double.POSITIVE_INFINITY) {
      sharedNow = 1.0; // no file says the same: the whole window, no cap, no stop
      return;
    }
    if (java.util.Objects.equals(stop, stopWritten) && wanted == sharedNow
        && !capMoved(starts)) {
      return;
    }
    Path file = new Path(directory.steeringFile(runId));
    Path next = new Path(file.getParent(), "." + file.getName() + ".next");
    String text = "share " + wanted + "\n"
        + (starts == Double.POSITIVE_INFINITY ? "" : String.format(java.util.Locale.ROOT,
            "starts %.1f\n", starts))
        + (stop == null ? "" : "stop " + stop + "\n");
    try {
      org.apache.hadoop.fs.FileSystem fs = file.getFileSystem(spark.hadoopConfiguration());
      try (FSDataOutputStream out = fs.create(next, true)) {
        out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      // Replaced whole, so that a task never reads half of it (an object store's PUT is whole
      // anyway; a rename over an existing file is not atomic everywhere, hence delete first).
      fs.delete(file, false);
      if (!fs.rename(next, file)) {
        throw new IOException("cannot rename " + next + " to " + file);
      }
      stopWritten = stop;
      sharedNow = wanted;
      startsNow = starts;
    } catch (IOException e) {
      LOG.error("Job {}: cannot write the steering file {}: {}", jobId, file, e.getMessage());
    }
  }

  /** The run is over: its steering file (and the control directory, when empty) goes. */
  private void removeSteeringFile() {
    Path file = new Path(directory.steeringFile(runId));
    try {
      org.apache.hadoop.fs.FileSystem fs = file.getFileSystem(spark.hadoopConfiguration());
      fs.delete(file, false);
      org.apache.hadoop.fs.FileStatus[] left = fs.exists(file.getParent())
          ? fs.listStatus(file.getParent()) : null;
      if (left != null && left.length == 0) {
        fs.delete(file.getParent(), false);
      }
    } catch (IOException e) {
      LOG.warn("Job {}: cannot remove the steering file {}: {}", jobId, file, e.getMessage());
    }
  }

  /** Whether the cap moved enough since the file said it to be worth writing again. */
  private boolean capMoved(double starts) {
    if (starts == Double.POSITIVE_INFINITY || startsNow == Double.POSITIVE_INFINITY) {
      return starts != startsNow;
    }
    return Math.abs(starts - startsNow) > CAP_CHANGE_WRITTEN * startsNow;
  }

  /**
   * The run's cap on starts, divided among the executors that run its tasks (each JVM divides
   * its part among its partitions of the run); {@code +Infinity} for no cap.
   */
  private double startsPerJvm() {
    try {
      double cap = startsPerSecond.getAsDouble();
      return Double.isFinite(cap) && cap > 0 ? cap / listener.executorsRunning()
          : Double.POSITIVE_INFINITY;
    } catch (RuntimeException e) {
      return Double.POSITIVE_INFINITY;
    }
  }

  private double share() {
    try {
      double s = share.getAsDouble();
      return Double.isFinite(s) && s > 0 ? s : 1.0;
    } catch (RuntimeException e) {
      return 1.0;
    }
  }

  private void registerMetrics() {
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      env.metricsSystem().registerSource(metrics);
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown host";
    }
  }

  /**
   * The live counts as a Spark metrics source, {@code s3batch.job-<id>}: what Spark's sinks
   * (JMX, the Prometheus servlet, ...) show while the job runs.
   */
  private final class ProgressSource implements Source {
    private final MetricRegistry registry = new MetricRegistry();

    ProgressSource() {
      gauge("tasksTotal", p -> p.total());
      gauge("tasksSucceeded", p -> p.succeeded());
      gauge("tasksFailed", p -> p.failed());
      gauge("attemptsRetried", p -> p.retried());
      gauge("throttledAnswers", p -> p.throttled());
      gauge("elapsedTimeInActiveSeconds", p -> p.activeSeconds());
      gauge("objectsPerSecond", p -> Math.round(p.objectsPerSecond()));
    }

    private void gauge(String name, java.util.function.ToLongFunction<LiveProgress> value) {
      registry.register(name, (Gauge<Long>) () -> {
        Active a = active;
        LiveProgress p = a != null ? progress(a) : latest;
        return p == null ? 0L : value.applyAsLong(p);
      });
    }

    @Override
    public String sourceName() {
      return "s3batch.job-" + jobId;
    }

    @Override
    public MetricRegistry metricRegistry() {
      return registry;
    }
  }
}
