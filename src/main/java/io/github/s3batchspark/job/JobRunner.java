package io.github.s3batchspark.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.PartitionTasks;
import io.github.s3batchspark.execution.RoleCredentials;
import io.github.s3batchspark.execution.RoleNotAssumedException;
import io.github.s3batchspark.job.spec.CreateJobRequest;
import io.github.s3batchspark.job.spec.JobManifest;
import io.github.s3batchspark.job.spec.JobReport;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.manifest.ManifestColumns;
import io.github.s3batchspark.manifest.ManifestException;
import io.github.s3batchspark.manifest.ManifestFilter;
import io.github.s3batchspark.manifest.ManifestFilterException;
import io.github.s3batchspark.manifest.ManifestField;
import io.github.s3batchspark.manifest.ManifestFormat;
import io.github.s3batchspark.manifest.GeneratedManifest;
import io.github.s3batchspark.manifest.GeneratedManifestDescriptor;
import io.github.s3batchspark.manifest.GeneratedManifestWriter;
import io.github.s3batchspark.manifest.ManifestLoader;
import io.github.s3batchspark.manifest.ManifestLocation;
import io.github.s3batchspark.manifest.ManifestRequest;
import io.github.s3batchspark.manifest.ManifestSchema;
import io.github.s3batchspark.operation.DryRun;
import io.github.s3batchspark.operation.ObjectOperation;
import io.github.s3batchspark.operation.OperationFactory;
import io.github.s3batchspark.report.CompletionReport;
import io.github.s3batchspark.report.CompletionReportSpec;
import io.github.s3batchspark.report.CompletionReportWriter;
import io.github.s3batchspark.report.ProgressSummary;
import io.github.s3batchspark.report.ReportTable;
import io.github.s3batchspark.report.TaskResultSchema;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import org.slf4j.LoggerFactory;

/**
 * Runs one job through its three stages: the manifest (driver), the tasks (executors), the
 * reports (driver), keeping its record in the {@link JobStore} up to date.
 *
 * <p>Every stage leaves its output under the job's directory, so a run can be resumed: the
 * manifest is built once and kept as Parquet with its task ids, each run's results are written
 * through Spark's output commit (never appended from a task), and a later run skips the tasks
 * that already succeeded.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";
  /**
   * The most Parquet one task of a run reads (the numbered manifest, the results, the report
   * table), unless the session sets {@code spark.sql.files.maxPartitionBytes} itself. Those tasks
   * hold their rows in memory at some point: the shuffle that spreads the keys sorts them, the
   * report table's writer sorts them by status. Spark's default of 128 MiB packs small files
   * into partitions of millions of rows, more the longer the manifest; at 8 MiB a partition is
   * about one file of the numbered manifest or of the results, so a task's memory does not grow
   * with the job.
   */
  static final long PARTITION_BYTES = 8L << 20;
  /**
   * Rows per file of the numbered manifest. A file is read by one task of the shuffle that
   * spreads the keys, which sorts its rows in memory, so whatever the manifest's length (and the
   * CSV split or inventory file a partition came from), that task sorts at most this many.
   */
  static final long MANIFEST_ROWS_PER_FILE = 250_000;

  private final SparkSession spark;
  private final JobStore store;
  private final RunSettings settings;

  public JobRunner(SparkSession spark, JobStore store, RunSettings settings) {
    this.spark = spark;
    this.store = store;
    this.settings = settings;
  }

  /**
   * Records a new job (or returns the one its ClientRequestToken already made). A job with
   * ConfirmationRequired is moved to Suspended, where it waits for update-job-status Ready.
   *
   * @throws JobSpecException when this build cannot run the spec's operation (for example a
   *     JavaFunction class that does not load); nothing is recorded then
   */
  public static JobRecord create(JobStore store, JobSpec spec) {
    operationFor(spec, null);
    checkManifestFilter(spec, ManifestColumns::known);
    return record(store, spec);
  }

  /**
   * Records a new job as {@link #create(JobStore, JobSpec)} does, after the checks that need
   * S3, signed as the job's role: its {@code ManifestFilter.Where} against the manifest's real
   * columns (an inventory report's manifest.json is read for them), and its report bucket (as
   * Amazon checks it at CreateJob), so that a job that can never run is not recorded.
   *
   * @throws JobSpecException when the operation cannot run, the filter is refused (or the
   *     inventory manifest it must be checked against cannot be read), or the report bucket
   *     does not exist or is not the expected owner's; nothing is recorded then
   */
  public static JobRecord create(JobStore store, JobSpec spec, ClientSettings clients) {
    operationFor(spec, null);
    // Signed as the job's role, as the run will be: what the role cannot read is refused now.
    ClientSettings asRole = clients.forJob(spec.request().roleArn(), "create-job");
    try {
      RoleCredentials.check(asRole);
    } catch (RoleNotAssumedException e) {
      // As Amazon does, a role that cannot be assumed yet (its trust policy may be fixed before
      // the job is confirmed) fails the job when it runs, AssumeRoleFailed; only the checks that
      // need no S3 happen now.
      LOG.warn("The job's role cannot be assumed now; the run will fail unless it can be then:"
          + " {}", e.getMessage());
      checkManifestFilter(spec, ManifestColumns::known);
      return record(store, spec);
    }
    checkManifestFilter(spec, asRole);
    try {
      checkReportBucket(reportSpec(spec.request().report()), asRole);
    } catch (IllegalArgumentException e) {
      throw JobSpecException.of(e.getMessage());
    }
    return record(store, spec);
  }

  /**
   * Refuses a spec whose {@code ManifestFilter.Where} is not in the filter language or names
   * a column its manifest will not have. Needs no SparkSession, so that the command line
   * checks a job before it starts Spark.
   *
   * @throws JobSpecException naming {@code ManifestFilter.Where} and what is wrong with it
   */
  public static void checkManifestFilter(JobSpec spec, ClientSettings clients) {
    checkManifestFilter(spec, request -> {
      if (request.format() == ManifestFormat.S3_BATCH_OPERATIONS_CSV) {
        return ManifestColumns.known(request);
      }
      try (S3Client s3 = ExecutorClients.syncClient(clients)) {
        return ManifestColumns.of(request, s3);
      }
    });
  }

  private static void checkManifestFilter(JobSpec spec,
      Function<ManifestRequest, List<String>> columns) {
    CreateJobRequest request = spec.request();
    if (request.manifestFilter() == null || request.manifestFilter().where() == null
        || request.manifestFilter().where().isBlank()) {
      return; // no filter: a blank Where keeps every row, as the run does
    }
    try {
      if (request.manifest() == null && request.manifestGenerator() != null) {
        ManifestFilter.check(request.manifestFilter().where().trim(), GeneratedManifest.columns(
            request.manifestGenerator().s3JobManifestGenerator()));
        return;
      }
      ManifestRequest manifest = manifestRequest(request);
      if (manifest.where() != null) { // a blank Where keeps every row, as the run does
        ManifestFilter.check(manifest.where(), columns.apply(manifest));
      }
    } catch (JobSpecException e) {
      throw e;
    } catch (ManifestException | IllegalArgumentException e) {
      throw JobSpecException.of(e.getMessage());
    }
  }

  private static JobRecord record(JobStore store, JobSpec spec) {
    JobRecord job = store.create(spec);
    if (job.status() == JobStatus.NEW
        && Boolean.TRUE.equals(spec.request().confirmationRequired())) {
      job = store.update(job.jobId(), Owner.RUNNER, stored -> stored
          .withStatus(JobStatus.PREPARING, null)
          .withStatus(JobStatus.SUSPENDED, "AwaitingConfirmation"));
    }
    return job;
  }

  /**
   * Runs the job to its end and returns its final record ({@code Complete} or {@code Failed}).
   * A job that an earlier run left Preparing or Active is resumed where it stopped.
   */
  public JobRecord run(String jobId) {
    JobRecord job = store.get(jobId);
    checkRunnable(job);
    return asRoleOf(job.spec(), jobId).runAsItsRole(job);
  }

  /**
   * A runner whose requests to objects are signed as the spec's {@code RoleArn}, in a session
   * named after {@code jobId} (unless the caller's credentials were chosen).
   */
  private JobRunner asRoleOf(JobSpec spec, String jobId) {
    return new JobRunner(spark, store, settings.forJob(spec.request().roleArn(), jobId));
  }

  private JobRecord runAsItsRole(JobRecord job) {
    String jobId = job.jobId();
    ObjectOperation operation = operationFor(job.spec(), job.jobId());
    spark.sparkContext().setJobGroup("s3batch-" + jobId,
        "S3 Batch Operations job " + jobId + ": " + operation.name(), false);
    boolean partitionBytesChosen = spark.conf().contains(MAX_PARTITION_BYTES);
    if (!partitionBytesChosen) {
      spark.conf().set(MAX_PARTITION_BYTES, PARTITION_BYTES);
    }
    try {
      return doRun(job, operation);
    } finally {
      if (!partitionBytesChosen) {
        spark.conf().unset(MAX_PARTITION_BYTES);
      }
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * A dry run: validates the operation, builds the manifest, and answers one result row per task
   * whose message says what the operation would do. Nothing is changed: no object, no job
   * record, no report. The rows are computed as the caller reads them.
   */
  public Dataset<Row> dryRun(JobSpec spec) {
    return asRoleOf(spec, "dry-run").dryRunAsItsRole(spec);
  }

  private Dataset<Row> dryRunAsItsRole(JobSpec spec) {
    ObjectOperation operation = new DryRun(operationFor(spec, null));
    RoleCredentials.check(settings.clients());
    spark.sparkContext().setJobGroup("s3batch-dry-run",
        "Dry run of S3 Batch Operations " + operation.name(), false);
    try {
      Dataset<Row> manifest = numberedManifest(spec.request());
      return taskResults(operation, manifest, partitions(manifest.count()));
    } catch (ManifestFilterException e) {
      throw JobSpecException.of(e.getMessage()); // a bad spec, as at create-job
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * The operation this build runs for the spec. Building it is the last check of a spec (a
   * JavaFunction's class is loaded here, a LambdaInvoke's schema rules are applied), so what it
   * refuses is refused like any bad spec: before anything is recorded or touched.
   */
  private static ObjectOperation operationFor(JobSpec spec, String jobId) {
    try {
      return OperationFactory.create(spec.request().operation(), jobId);
    } catch (JobSpecException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw JobSpecException.of(e.getMessage());
    }
  }

  private JobRecord doRun(JobRecord job, ObjectOperation operation) {
    long started = System.currentTimeMillis();
    long activeBefore = job.progress().elapsedTimeInActiveSeconds();
    job = moveTo(job, JobStatus.PREPARING);
    try {
      RoleCredentials.check(settings.clients());
    } catch (RoleNotAssumedException e) {
      LOG.error("Job {}: {}", job.jobId(), e.getMessage());
      return fail(job, "AssumeRoleFailed", e.getMessage());
    }
    CompletionReportSpec reportSpec;
    try {
      reportSpec = reportSpec(job.spec().request().report());
      checkReportBucket(reportSpec);
    } catch (RuntimeException e) {
      LOG.error("Job {}: the report cannot be written: {}", job.jobId(), e.getMessage());
      return fail(job, "InvalidReport", e.getMessage());
    }
    Dataset<Row> manifest;
    try {
      manifest = prepareManifest(job);
      if (job.spec().request().manifestGenerator() != null) {
        GeneratedManifestDescriptor written = GeneratedManifestWriter.writeIfAsked(spark,
            job.spec().request().manifestGenerator().s3JobManifestGenerator(), job.jobId(),
            manifest, settings.clients());
        if (written != null) {
          LOG.info("Job {}: generated manifest written to {}", job.jobId(), written.objectArn());
        }
      }
    } catch (Exception e) { // Spark's own SparkException is checked, and thrown unchecked
      ManifestException refusal = ManifestException.within(e);
      String reason = refusal != null ? refusal.getMessage() : e.getMessage();
      LOG.error("Job {}: the manifest could not be read: {}", job.jobId(), reason);
      return fail(job, "ManifestReadFailed", reason);
    }
    long total = manifest.count();
    job = moveTo(moveTo(job, JobStatus.READY), JobStatus.ACTIVE);
    job = store.update(job.jobId(), Owner.RUNNER,
        stored -> stored.withProgress(new JobProgress(total, 0, 0, activeBefore)));
    LOG.info("Job {}: {} tasks of {}", job.jobId(), total, operation.name());

    long executing = System.nanoTime();
    // Not cached: the results are Parquet already, and a cache of millions of rows would take
    // the memory that Spark's execution needs (in local mode, the driver's own heap).
    Dataset<Row> results = execute(job, operation, manifest, total);
    ProgressSummary summary = ProgressSummary.of(results);
    double seconds = (System.nanoTime() - executing) / 1e9;
    LOG.info("Job {}: tasks ran in {} s ({} objects/s)", job.jobId(),
        String.format("%.1f", seconds), String.format("%.0f", total / Math.max(seconds, 1e-3)));
    JobProgress done = new JobProgress(total,
        summary.numberOfTasksSucceeded(), summary.numberOfTasksFailed(),
        activeBefore + (System.currentTimeMillis() - started) / 1000);
    job = store.update(job.jobId(), Owner.RUNNER, stored -> stored.withProgress(done));
    job = moveTo(job, JobStatus.COMPLETING);
    String reportLocation = writeReports(job, results, reportSpec);
    job = store.update(job.jobId(), Owner.RUNNER,
        stored -> stored.withReportLocation(reportLocation));
    return finish(job, summary);
  }

  private static void checkRunnable(JobRecord job) {
    switch (job.status()) {
      case NEW, PREPARING, READY, ACTIVE, COMPLETING -> { }
      case SUSPENDED -> throw new JobNotRunnableException("Job " + job.jobId()
          + " is Suspended, waiting for confirmation: run s3batch update-job-status --job-id "
          + job.jobId() + " --requested-job-status Ready");
      default -> throw new JobNotRunnableException("Job " + job.jobId() + " is "
          + job.status().awsName() + " and cannot run again; create a new job");
    }
  }

  /** Moves forward unless an earlier run already got the job there or further. */
  private JobRecord moveTo(JobRecord job, JobStatus next) {
    if (job.status() == next || !job.status().canMoveTo(next)) {
      return job;
    }
    return store.update(job.jobId(), Owner.RUNNER, stored -> stored.withStatus(next, null));
  }

  private JobRecord fail(JobRecord job, String code, String reason) {
    return store.update(job.jobId(), Owner.RUNNER, stored -> stored
        .withFailure(new JobFailure(code, reason))
        .withStatus(JobStatus.FAILING, null)
        .withStatus(JobStatus.FAILED, null));
  }

  /**
   * The job's manifest with task ids, built on the first run and read back on later ones so
   * that task ids never change. A prepare that fails or is killed leaves no manifest behind
   * ({@link PreparedManifest}).
   */
  private Dataset<Row> prepareManifest(JobRecord job) {
    return PreparedManifest.readOrBuild(spark,
        new Path(store.jobDirectory(job.jobId()), "manifest"),
        path -> numberedManifest(job.spec().request())
            .write().option("maxRecordsPerFile", MANIFEST_ROWS_PER_FILE).mode("overwrite")
            .parquet(path));
  }

  /** The manifest the job names, or the one its ManifestGenerator lists; with task ids. */
  private Dataset<Row> numberedManifest(CreateJobRequest request) {
    if (request.manifest() == null && request.manifestGenerator() != null) {
      return ManifestLoader.loadGeneratedWithTaskIds(spark,
          request.manifestGenerator().s3JobManifestGenerator(),
          request.manifestFilter() == null ? null : request.manifestFilter().where(),
          settings.clients());
    }
    return ManifestLoader.loadWithTaskIds(spark, manifestRequest(request), settings.clients());
  }

  private Dataset<Row> execute(JobRecord job, ObjectOperation operation, Dataset<Row> manifest,
      long total) {
    String resultsRoot = store.jobDirectory(job.jobId()).toString() + "/results";
    Dataset<Row> previous = readResults(resultsRoot);
    Dataset<Row> pending = previous == null ? manifest
        : manifest.join(previous.filter(col(TaskResultSchema.TASK_STATUS).equalTo("succeeded")),
            manifest.col(ManifestSchema.TASK_ID).equalTo(previous.col(TaskResultSchema.TASK_ID)),
            "left_anti");
    String run = resultsRoot + "/run=" + System.currentTimeMillis();
    if (previous != null && operation.keepsVersionOrder()) {
      Dataset<Row> overtaken = VersionOrder.overtaken(pending, manifest,
          previous.filter(col(TaskResultSchema.TASK_STATUS).equalTo("succeeded")));
      VersionOrder.refused(overtaken).write().mode("overwrite").parquet(run + "/wave=0");
      pending = pending.join(overtaken.select(col(ManifestSchema.TASK_ID).as("_overtaken")),
          col(ManifestSchema.TASK_ID).equalTo(col("_overtaken")), "left_anti");
    }
    long firstWave = settings.failFastMinTasks() > 0 && total > settings.failFastMinTasks()
        ? Math.max(settings.failFastMinTasks(), total / 100) : 0;
    if (firstWave > 0) {
      Column inFirstWave = operation.keepsVersionOrder()
          ? VersionOrder.firstWave(total, firstWave)
          : col(ManifestSchema.TASK_ID).lt(firstWave);
      // One Spark task per core: the wave is small, and more tasks would only add the fixed
      // cost of each (a shuffle read, a Parquet writer) to the time before the rest may start.
      runTasks(operation, pending.filter(inFirstWave),
          Math.min(partitions(total), spark.sparkContext().defaultParallelism()),
          run + "/wave=1");
      if (ProgressSummary.of(readResults(resultsRoot)).taskFailureThresholdExceeded()) {
        LOG.warn("Job {}: more than half of the first {} tasks failed; stopping early",
            job.jobId(), firstWave);
        return latestResults(resultsRoot, previous != null);
      }
      pending = pending.filter(functions.not(inFirstWave));
    }
    runTasks(operation, pending, partitions(total), run + "/wave=2");
    return latestResults(resultsRoot, previous != null);
  }

  private void runTasks(ObjectOperation operation, Dataset<Row> tasks, int partitions,
      String out) {
    taskResults(operation, tasks, partitions).write().mode("overwrite").parquet(out);
  }

  /**
   * The tasks hash-partitioned by key, so that all of one object's tasks meet in one partition;
   * for an operation that keeps version order, sorted by version and run one at a time per
   * object ({@link VersionOrder}; the runner gives each object's tasks their turns).
   */
  private Dataset<Row> taskResults(ObjectOperation operation, Dataset<Row> tasks,
      int partitions) {
    boolean ordered = operation.keepsVersionOrder();
    Dataset<Row> partitioned = ordered ? VersionOrder.partitioned(tasks, partitions)
        : spreadOverPrefixes(tasks, partitions);
    PartitionTasks.ManifestColumns columns = new PartitionTasks.ManifestColumns(index(partitioned, ManifestSchema.TASK_ID),
        index(partitioned, ManifestSchema.BUCKET), index(partitioned, ManifestSchema.KEY),
        index(partitioned, ManifestSchema.VERSION_ID), index(partitioned, ManifestSchema.ETAG),
        operation.readsManifestColumns() ? otherColumns(partitioned) : java.util.Map.of());
    PartitionTasks function = new PartitionTasks(operation, settings.clients(),
        settings.runner(), columns, TaskResultSchema::toRow);
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
  private static java.util.Map<String, Integer> otherColumns(Dataset<Row> tasks) {
    List<String> canonical = List.of(ManifestSchema.TASK_ID, ManifestSchema.BUCKET,
        ManifestSchema.KEY, ManifestSchema.VERSION_ID, ManifestSchema.ETAG);
    java.util.Map<String, Integer> others = new java.util.HashMap<>();
    String[] names = tasks.schema().fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (!canonical.contains(names[i])) {
        others.put(names[i], i);
      }
    }
    return others;
  }

  private int partitions(long total) {
    if (settings.partitions() > 0) {
      return settings.partitions();
    }
    int byCores = spark.sparkContext().defaultParallelism() * 4;
    return (int) Math.max(byCores, Math.min(100_000, total / 20_000 + 1));
  }

  /**
   * Every task's latest result. A first run holds each task once (its waves are disjoint), so
   * only a resumed job pays for the shuffle that picks the latest row per task.
   */
  private Dataset<Row> latestResults(String resultsRoot, boolean resumed) {
    Dataset<Row> all = readResults(resultsRoot);
    if (resumed) {
      var latest = Window.partitionBy(col(TaskResultSchema.TASK_ID))
          .orderBy(col("run").desc(), col(TaskResultSchema.FINISHED_AT).desc());
      all = all.withColumn("_n", row_number().over(latest)).filter(col("_n").equalTo(1));
    }
    return all.select(Arrays.stream(TaskResultSchema.schema().fieldNames())
        .map(functions::col).toArray(Column[]::new));
  }

  private Dataset<Row> readResults(String resultsRoot) {
    if (!exists(resultsRoot)) {
      return null;
    }
    return spark.read().schema(TaskResultSchema.schema().add("run", "long").add("wave", "int"))
        .parquet(resultsRoot);
  }

  /**
   * The report table first, then the completion report from the table as written: the report
   * writer names its files after the partitions it reads, so its input must read back the same
   * way if Spark retries one of its tasks.
   */
  private String writeReports(JobRecord job, Dataset<Row> results,
      CompletionReportSpec spec) {
    String table = store.jobDirectory(job.jobId()).toString() + "/report-table";
    ReportTable.write(results, table);
    if (!spec.enabled()) {
      return job.reportLocation();
    }
    CompletionReport report = new CompletionReportWriter(spark, settings.clients())
        .jobId(job.jobId()).report(spec).execute(ReportTable.read(spark, table));
    return "s3://" + report.bucket() + "/" + report.manifestKey();
  }

  private JobRecord finish(JobRecord job, ProgressSummary summary) {
    if (summary.taskFailureThresholdExceeded()) {
      return fail(job, "TaskFailureThresholdExceeded", String.format(
          "More than half of the finished tasks failed (%d of %d); the job was stopped",
          summary.numberOfTasksFailed(),
          summary.numberOfTasksFailed() + summary.numberOfTasksSucceeded()));
    }
    return store.update(job.jobId(), Owner.RUNNER,
        stored -> stored.withStatus(JobStatus.COMPLETE, null));
  }

  /**
   * Refuses, before any object is touched, a job whose report could not be written at its end
   * (Amazon checks the report bucket when the job is created).
   */
  private void checkReportBucket(CompletionReportSpec spec) {
    checkReportBucket(spec, settings.clients());
  }

  private static void checkReportBucket(CompletionReportSpec spec, ClientSettings clients) {
    if (!spec.enabled()) {
      return;
    }
    String bucket = spec.bucket();
    try (S3Client s3 = ExecutorClients.syncClient(clients)) {
      s3.headBucket(b -> b.bucket(bucket).expectedBucketOwner(spec.expectedBucketOwner()));
    } catch (S3Exception e) {
      throw new IllegalArgumentException("Report.Bucket " + spec.bucketArn() + ": the bucket "
          + (e.statusCode() == 404 ? "does not exist" : "cannot be reached (HTTP "
          + e.statusCode() + " " + errorCode(e) + ")")
          + (e.statusCode() == 403 && spec.expectedBucketOwner() != null
              ? "; Report.ExpectedBucketOwner is " + spec.expectedBucketOwner()
              + ": check that this account owns the bucket and that the job's role may use it"
              : "; create it or name another one"), e);
    }
  }

  /** An answer to HEAD has no body: S3's 403 to it means AccessDenied. */
  private static String errorCode(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code != null ? code : e.statusCode() == 403 ? "AccessDenied" : "no error code";
  }

  static ManifestRequest manifestRequest(CreateJobRequest request) {
    JobManifest m = request.manifest();
    if (m == null) {
      throw new IllegalArgumentException(
          "Manifest: required (or ManifestGenerator), got neither");
    }
    ManifestLocation location = ManifestLocation.fromObjectArn(m.location().objectArn(),
        m.location().objectVersionId(), m.location().eTag());
    List<ManifestField> fields = m.spec().fields() == null ? null
        : m.spec().fields().stream().map(ManifestField::fromSpec).toList();
    String where = request.manifestFilter() == null ? null : request.manifestFilter().where();
    return new ManifestRequest(ManifestFormat.fromSpec(m.spec().format()), location, fields,
        where);
  }

  static CompletionReportSpec reportSpec(JobReport report) {
    if (report == null || !Boolean.TRUE.equals(report.enabled())) {
      return CompletionReportSpec.disabled();
    }
    String scope = report.reportScope() == null ? CompletionReportSpec.ALL_TASKS
        : report.reportScope();
    return new CompletionReportSpec(true, report.bucket(), report.prefix(), report.format(),
        scope, report.expectedBucketOwner()).validate();
  }

  private static int index(Dataset<Row> ds, String column) {
    List<String> names = List.of(ds.columns());
    return names.indexOf(column);
  }

  private boolean exists(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the job directory " + path + ": "
          + e.getMessage(), e);
    }
  }
}
