package io.github.s3batchspark.job;

import static org.apache.spark.sql.functions.col;

import io.github.s3batchspark.execution.PartitionTasks;
import io.github.s3batchspark.execution.TaskSignals;
import io.github.s3batchspark.manifest.ManifestSchema;
import io.github.s3batchspark.operation.ObjectOperation;
import io.github.s3batchspark.report.ProgressSummary;
import io.github.s3batchspark.report.TaskResultSchema;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second stage of a job: its tasks run on the executors, in waves each committed as it ends
 * (a run killed mid-way redoes at most one wave), skipping the tasks an earlier run of the job
 * already did.
 *
 * <p>The first wave, of 1 % of a large job, enforces the early-failure rule: when more than half
 * of it failed, no other wave runs. The later waves last about {@link RunSettings#waveTime()}
 * each, at the rate the wave before ran. An operation that keeps version order runs its
 * remaining tasks in one wave, since an object's versions must meet in one partition
 * ({@link VersionOrder}). Between waves the stage consults {@link JobControl}: a cancel or a
 * lost lease starts no further wave, and the executors stop taking tasks within the wave.
 */
public final class RunTasks {
  private static final Logger LOG = LoggerFactory.getLogger(RunTasks.class);
  /** Tasks in the first main wave of a job that had no early wave to measure its rate. */
  static final long FIRST_WAVE_WITHOUT_RATE = 50_000;
  /** Result columns whose value differs from task to task. */
  private static final List<String> UNIQUE_PER_TASK = List.of(TaskResultSchema.TASK_ID,
      TaskResultSchema.KEY, TaskResultSchema.STARTED_AT, TaskResultSchema.FINISHED_AT);

  /**
   * @param results every task's results, of this run and the earlier ones
   * @param summary the counts of every task's latest result
   */
  public record Result(JobResults results, ProgressSummary summary) {}

  private final SparkSession spark;
  private final RunSettings settings;
  private final ObjectOperation operation;
  private String jobId;
  private PrepareManifest.Result manifest;
  private JobControl control;

  /** @param settings the settings of the run, its clients signed as the job's role */
  public RunTasks(SparkSession spark, RunSettings settings, ObjectOperation operation) {
    this.spark = spark;
    this.settings = settings;
    this.operation = operation;
  }

  public RunTasks jobId(String jobId) {
    this.jobId = jobId;
    return this;
  }

  public RunTasks manifest(PrepareManifest.Result manifest) {
    this.manifest = manifest;
    return this;
  }

  /** What the tasks obey (stop) and count with, and where the results go. */
  public RunTasks control(JobControl control) {
    this.control = control;
    return this;
  }

  /** @throws LeaseLostException when another run took the job over meanwhile */
  public Result execute() {
    Objects.requireNonNull(manifest, "Cannot run tasks: no prepared manifest given");
    Objects.requireNonNull(control, "Cannot run tasks: no job control given");
    long started = System.nanoTime();
    JobResults results = doExecute();
    control.checkLease(); // a run that lost its job to another reports nothing of it
    // Not cached: the results are Parquet already, and a cache of millions of rows would take
    // the memory that Spark's execution needs (in local mode, the driver's own heap).
    ProgressSummary summary = ProgressSummary.of(results.latest(spark));
    double seconds = (System.nanoTime() - started) / 1e9;
    // the tasks done over all runs, not a rate: a resumed or cancelled run did only part of them
    LOG.info("Job {}: tasks ran in {} s; {} of {} tasks done", jobId,
        String.format("%.1f", seconds), summary.numberOfTasksSucceeded()
            + summary.numberOfTasksFailed(), manifest.taskCount());
    return new Result(results, summary);
  }

  private JobResults doExecute() {
    JobDirectory directory = control.directory();
    JobResults previous = JobResults.previous(spark, directory);
    JobResults results = new JobResults(directory.results(), previous != null);
    long run = System.currentTimeMillis();
    long total = manifest.taskCount();
    Dataset<Row> tasks = spark.read().parquet(manifest.location());
    Dataset<Row> pending = previous == null ? tasks : notYetSucceeded(tasks, previous, run);
    long firstWave = settings.failFastMinTasks() > 0 && total > settings.failFastMinTasks()
        ? Math.max(settings.failFastMinTasks(), total / 100) : 0;
    if (firstWave == 0) {
      runMainWaves(pending, 0, 0, run);
      return results;
    }
    Column inFirstWave = operation.keepsVersionOrder()
        ? VersionOrder.firstWave(total, firstWave)
        : col(ManifestSchema.TASK_ID).lt(firstWave);
    describeWave(1, 0, firstWave);
    // One Spark task per core: the wave is small, and more tasks would only add the fixed
    // cost of each (a shuffle read, a Parquet writer) to the time before the rest may start.
    String firstWaveResults = directory.wave(run, 1);
    runWave(pending.filter(inFirstWave),
        Math.min(partitions(total), spark.sparkContext().defaultParallelism()),
        firstWaveResults);
    Dataset<Row> waveResults = spark.read().parquet(firstWaveResults);
    double rate = activeRate(waveResults);
    ProgressSummary soFar = ProgressSummary.of(results.resumed() ? results.all(spark)
        : waveResults);
    if (soFar.taskFailureThresholdExceeded()) {
      LOG.warn("Job {}: more than half of the first {} tasks failed; stopping early", jobId,
          firstWave);
      return results;
    }
    runMainWaves(operation.keepsVersionOrder() ? pending.filter(functions.not(inFirstWave))
        : pending, operation.keepsVersionOrder() ? 0 : firstWave, rate, run);
    return results;
  }

  /**
   * The tasks no earlier run of the job got to succeed. For an operation that keeps version
   * order, those whose object had a later version succeed are refused, not run: their failed
   * results are written as this run's wave 0.
   */
  private Dataset<Row> notYetSucceeded(Dataset<Row> tasks, JobResults previous, long run) {
    Dataset<Row> succeeded = previous.all(spark)
        .filter(col(TaskResultSchema.TASK_STATUS).equalTo("succeeded"));
    Dataset<Row> pending = tasks.join(succeeded,
        tasks.col(ManifestSchema.TASK_ID).equalTo(succeeded.col(TaskResultSchema.TASK_ID)),
        "left_anti");
    if (!operation.keepsVersionOrder()) {
      return pending;
    }
    Dataset<Row> overtaken = VersionOrder.overtaken(pending, tasks, succeeded);
    VersionOrder.refused(overtaken).write().mode("overwrite")
        .parquet(control.directory().wave(run, 0));
    return pending.join(overtaken.select(col(ManifestSchema.TASK_ID).as("_overtaken")),
        col(ManifestSchema.TASK_ID).equalTo(col("_overtaken")), "left_anti");
  }

  /** The waves after the first, from task id {@code from}, unless the run is told to stop. */
  private void runMainWaves(Dataset<Row> pending, long from, double rate, long run) {
    long total = manifest.taskCount();
    if (operation.keepsVersionOrder()) {
      // One wave: an object's versions must meet in one partition to take their turns in order.
      if (!control.stopRequested()) {
        describeWave(2, 0, total);
        runWave(pending, partitions(total), control.directory().wave(run, 2));
      }
      return;
    }
    int wave = 2;
    while (from < total && !control.stopRequested()) {
      long to = Math.min(total, from + waveSize(total, rate, settings.waveTime()));
      describeWave(wave, from, to);
      String out = control.directory().wave(run, wave++);
      long started = System.nanoTime();
      runWave(pending.filter(col(ManifestSchema.TASK_ID).geq(from)
              .and(col(ManifestSchema.TASK_ID).lt(to))), partitions(to - from), out);
      if (to < total) { // the last wave's rate sizes nothing
        double active = activeRate(spark.read().parquet(out));
        rate = active > 0 ? active
            : (to - from) / Math.max((System.nanoTime() - started) / 1e9, 1e-3);
      }
      from = to;
    }
  }

  /**
   * Tasks in the next wave: about {@link RunSettings#waveTime()} of work at the rate the last
   * wave ran (a run killed mid-wave redoes at most that), and at least 1 % of the job, so that
   * the waves' fixed costs stay small beside their work. Before any rate is known, a large wave.
   *
   * <p>A wave's rate is its tasks over the span from its first task's start to its last one's
   * end, not over its wall time. A small wave spends longer being planned, shuffled and
   * committed than running, and a rate over the wall time feeds on itself: each wave comes out
   * smaller than the one before, and once its fixed cost exceeds {@code waveTime} (a job store
   * on a slow object store, a short {@code waveTime}) the waves fall to 1 % of the job each, a
   * job of 120 tasks then taking 32 waves and minutes where it needed seconds.
   */
  static long waveSize(long total, double rate, Duration waveTime) {
    long byTime = rate > 0 ? (long) (rate * waveTime.toMillis() / 1000.0)
        : FIRST_WAVE_WITHOUT_RATE;
    return Math.max(1, Math.max(total / 100, byTime));
  }

  /** Tasks ended per second from the first task's start to the last one's end. */
  static double activeRate(Dataset<Row> waveResults) {
    Row span = waveResults.agg(functions.count(functions.lit(1)),
        functions.min(col(TaskResultSchema.STARTED_AT)),
        functions.max(col(TaskResultSchema.FINISHED_AT))).first();
    if (span.isNullAt(1)) {
      return 0;
    }
    long millis = epochMillis(span.get(2)) - epochMillis(span.get(1));
    return span.getLong(0) * 1000.0 / Math.max(millis, 1);
  }

  /** A timestamp column's value, whichever Java type the session reads timestamps as. */
  private static long epochMillis(Object timestamp) {
    return timestamp instanceof java.time.Instant instant ? instant.toEpochMilli()
        : ((java.sql.Timestamp) timestamp).getTime();
  }

  /** What Spark's UI says of a wave's Spark job: whose it is, and how far the job has got. */
  private void describeWave(int wave, long from, long to) {
    long total = manifest.taskCount();
    spark.sparkContext().setJobDescription(String.format("s3batch job %s: %s, wave %d: tasks"
        + " %,d to %,d of %,d (%.0f%% before it)", jobId, operation.name(), wave, from,
        to, total, total == 0 ? 0.0 : 100.0 * from / total));
  }

  /**
   * Runs a wave, its results written as Parquet without dictionaries for the columns that hold
   * a different value in every row: Parquet would build each one's dictionary for the whole
   * file, then find it no smaller than the values and write them plain after all.
   */
  private void runWave(Dataset<Row> tasks, int partitions, String out) {
    var writer = resultsOf(tasks, partitions, control.signals()).write().mode("overwrite");
    for (String unique : UNIQUE_PER_TASK) {
      writer = writer.option("parquet.enable.dictionary#" + unique, "false");
    }
    control.waveBegins(); // so that the job service measures its rate wave by wave
    try {
      writer.parquet(out);
    } finally {
      control.waveEnds();
    }
  }

  /**
   * The results of {@code tasks}, computed as Spark reads them: hash-partitioned by key, so that
   * all of one object's tasks meet in one partition; for an operation that keeps version order,
   * sorted by version and run one at a time per object ({@link VersionOrder}).
   */
  Dataset<Row> resultsOf(Dataset<Row> tasks, int partitions, TaskSignals signals) {
    Dataset<Row> partitioned = operation.keepsVersionOrder()
        ? VersionOrder.partitioned(tasks, partitions) : spreadOverPrefixes(tasks, partitions);
    PartitionTasks.ManifestColumns columns = new PartitionTasks.ManifestColumns(
        index(partitioned, ManifestSchema.TASK_ID), index(partitioned, ManifestSchema.BUCKET),
        index(partitioned, ManifestSchema.KEY), index(partitioned, ManifestSchema.VERSION_ID),
        index(partitioned, ManifestSchema.ETAG),
        operation.readsManifestColumns() ? otherColumns(partitioned) : Map.of());
    PartitionTasks function = new PartitionTasks(operation, settings.clients(),
        settings.runner(), columns, TaskResultSchema::toRow, signals);
    return partitioned.mapPartitions(function, TaskResultSchema.encoder());
  }

  /**
   * Hashing on the key spreads neighbouring keys (one prefix) over every partition; ordering
   * each partition by another hash of the key spreads them in time as well, so that a manifest
   * sorted by key does not send a partition's whole window to one prefix after another.
   */
  private static Dataset<Row> spreadOverPrefixes(Dataset<Row> tasks, int partitions) {
    return tasks.repartition(partitions, col(ManifestSchema.KEY))
        .sortWithinPartitions(spreadInTime());
  }

  /** An order of a partition's tasks that has no relation to their keys' order. */
  static Column spreadInTime() {
    return functions.xxhash64(col(ManifestSchema.KEY));
  }

  /** The manifest's columns beyond the canonical ones, by name (inventory fields). */
  private static Map<String, Integer> otherColumns(Dataset<Row> tasks) {
    List<String> canonical = List.of(ManifestSchema.TASK_ID, ManifestSchema.BUCKET,
        ManifestSchema.KEY, ManifestSchema.VERSION_ID, ManifestSchema.ETAG);
    Map<String, Integer> others = new HashMap<>();
    String[] names = tasks.schema().fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (!canonical.contains(names[i])) {
        others.put(names[i], i);
      }
    }
    return others;
  }

  /** Spark partitions for {@code tasks} tasks: 4 per core, more for a long job. */
  int partitions(long tasks) {
    if (settings.partitions() > 0) {
      return settings.partitions();
    }
    int byCores = spark.sparkContext().defaultParallelism() * 4;
    return (int) Math.max(byCores, Math.min(100_000, tasks / 20_000 + 1));
  }

  private static int index(Dataset<Row> ds, String column) {
    return List.of(ds.columns()).indexOf(column);
  }
}
