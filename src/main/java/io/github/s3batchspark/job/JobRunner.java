package io.github.s3batchspark.job;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.RoleCredentials;
import io.github.s3batchspark.execution.RoleNotAssumedException;
import io.github.s3batchspark.execution.TaskSignals;
import io.github.s3batchspark.job.spec.CreateJobRequest;
import io.github.s3batchspark.manifest.ManifestColumns;
import io.github.s3batchspark.manifest.ManifestException;
import io.github.s3batchspark.manifest.ManifestFilter;
import io.github.s3batchspark.manifest.ManifestFilterException;
import io.github.s3batchspark.manifest.ManifestFormat;
import io.github.s3batchspark.manifest.GeneratedManifest;
import io.github.s3batchspark.manifest.GeneratedManifestDescriptor;
import io.github.s3batchspark.manifest.GeneratedManifestWriter;
import io.github.s3batchspark.manifest.ManifestLoader;
import io.github.s3batchspark.manifest.ManifestSource;
import io.github.s3batchspark.manifest.DynamoDbManifestSource;
import io.github.s3batchspark.manifest.DynamoDbTableManifest;
import io.github.s3batchspark.manifest.GeneratedManifestSource;
import io.github.s3batchspark.manifest.ManifestRequest;
import io.github.s3batchspark.operation.DryRun;
import io.github.s3batchspark.operation.ObjectOperation;
import io.github.s3batchspark.operation.OperationFactory;
import io.github.s3batchspark.report.CompletionReportSpec;
import io.github.s3batchspark.report.ProgressSummary;
import io.github.s3batchspark.report.ReportTable;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs one job through its three stage actions, {@link PrepareManifest}, {@link RunTasks} and
 * {@link WriteReports}, handing each stage's result to the next, keeping the job's record in the
 * {@link JobStore} up to date and consulting the run's {@link JobControl} (lease, cancel).
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
      WriteReports.checkBucket(WriteReports.spec(spec.request().report()), asRole);
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
      if (request.manifest() == null && request.dynamoDBManifest() != null) {
        ManifestFilter.check(request.manifestFilter().where().trim(),
            DynamoDbManifestSource.columns());
        return;
      }
      ManifestRequest manifest = PrepareManifest.manifestRequest(request);
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
   * Runs the job to its end and returns its final record ({@code Complete}, {@code Failed} or
   * {@code Cancelled}). A job that an earlier run left Preparing or Active is resumed where it
   * stopped; one left Cancelling is ended Cancelled, its report written.
   *
   * @throws LeaseHeldException when another run is running the job
   */
  public JobRecord run(String jobId) {
    return run(jobId, RunHooks.none());
  }

  /**
   * Runs the job as {@link #run(String)} does, handing {@code watcher} the live counts every few
   * seconds while its tasks run.
   */
  public JobRecord run(String jobId, Consumer<LiveProgress> watcher) {
    return run(jobId, RunHooks.watching(watcher));
  }

  /**
   * Runs the job as {@link #run(String)} does, with {@code hooks} attached. A run that is
   * paused ({@link JobControl#pause()}) leaves the job Paused, to be resumed by a later run.
   */
  public JobRecord run(String jobId, RunHooks hooks) {
    checkRunnable(store.get(jobId));
    try (JobControl control = JobControl.take(store, spark.sparkContext(), jobId,
        settings.leaseTimeout(), settings.liveProgress(), hooks)) {
      hooks.started().accept(control);
      JobRecord job = store.get(jobId);
      checkRunnable(job); // again, under the lease: another run may have ended it meanwhile
      asRoleOf(job.spec(), jobId).runAsItsRole(job, control);
    }
    return store.get(jobId); // as it ended, its lease released
  }

  /**
   * A runner whose requests to objects are signed as the spec's {@code RoleArn}, in a session
   * named after {@code jobId} (unless the caller's credentials were chosen).
   */
  private JobRunner asRoleOf(JobSpec spec, String jobId) {
    return new JobRunner(spark, store, settings.forJob(spec.request().roleArn(), jobId));
  }

  private JobRecord runAsItsRole(JobRecord job, JobControl control) {
    String jobId = job.jobId();
    ObjectOperation operation = operationFor(job.spec(), job.jobId());
    spark.sparkContext().setJobGroup("s3batch-" + jobId,
        "S3 Batch Operations job " + jobId + ": " + operation.name(), false);
    boolean partitionBytesChosen = spark.conf().contains(MAX_PARTITION_BYTES);
    if (!partitionBytesChosen) {
      spark.conf().set(MAX_PARTITION_BYTES, PARTITION_BYTES);
    }
    try {
      return doRun(job, operation, control);
    } catch (CancelRequested cancelled) {
      return endCancelled(store.get(jobId), control);
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
      CreateJobRequest request = spec.request();
      Dataset<Row> manifest = ManifestLoader.loadWithTaskIds(spark, sourceOf(request),
          whereOf(request), settings.clients());
      RunTasks tasks = new RunTasks(spark, settings, operation);
      return tasks.resultsOf(manifest, tasks.partitions(manifest.count()), TaskSignals.none());
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

  private JobRecord doRun(JobRecord job, ObjectOperation operation, JobControl control) {
    if (job.status() == JobStatus.CANCELLING) {
      throw new CancelRequested(); // an earlier run was stopped while cancelling: end it
    }
    long activeBefore = job.progress().elapsedTimeInActiveSeconds();
    job = advance(job, JobStatus.PAUSED); // a run that died pausing left it Pausing
    job = advance(job, JobStatus.PREPARING);
    try {
      RoleCredentials.check(settings.clients());
    } catch (RoleNotAssumedException e) {
      LOG.error("Job {}: {}", job.jobId(), e.getMessage());
      return fail(job, "AssumeRoleFailed", e.getMessage());
    }
    CompletionReportSpec reportSpec;
    try {
      reportSpec = WriteReports.spec(job.spec().request().report());
      WriteReports.checkBucket(reportSpec, settings.clients());
      String catalogName = catalogNameOf(job.spec().request());
      if (catalogName != null) {
        ReportTable.checkRegistrable(spark, catalogName);
      }
    } catch (RuntimeException e) {
      LOG.error("Job {}: the report cannot be written: {}", job.jobId(), e.getMessage());
      return fail(job, "InvalidReport", e.getMessage());
    }
    PrepareManifest.Result manifest;
    try {
      CreateJobRequest request = job.spec().request();
      manifest = new PrepareManifest(spark, settings.clients())
          .source(sourceOf(request), whereOf(request))
          .into(control.directory())
          .execute();
      if (request.manifestGenerator() != null) {
        GeneratedManifestDescriptor written = GeneratedManifestWriter.writeIfAsked(spark,
            request.manifestGenerator().s3JobManifestGenerator(), job.jobId(),
            spark.read().parquet(manifest.location()), settings.clients());
        if (written != null) {
          LOG.info("Job {}: generated manifest written to {}", job.jobId(), written.objectArn());
          job = store.update(job.jobId(), Owner.RUNNER,
              stored -> stored.withGeneratedManifest(written));
        }
      }
    } catch (Exception e) { // Spark's own SparkException is checked, and thrown unchecked
      ManifestException refusal = ManifestException.within(e);
      String reason = refusal != null ? refusal.getMessage() : e.getMessage();
      LOG.error("Job {}: the manifest could not be read: {}", job.jobId(), reason);
      return fail(job, "ManifestReadFailed", reason);
    }
    control.checkLease();
    job = advance(advance(job, JobStatus.READY), JobStatus.ACTIVE);
    job = tasksBegin(job, manifest.taskCount(), activeBefore, control);
    LOG.info("Job {}: {} tasks of {}", job.jobId(), manifest.taskCount(), operation.name());

    RunTasks.Result ran = new RunTasks(spark, settings, operation).jobId(job.jobId())
        .manifest(manifest).control(control).execute();
    ProgressSummary summary = ran.summary();
    job = control.tasksEnded(new JobProgress(manifest.taskCount(),
        summary.numberOfTasksSucceeded(), summary.numberOfTasksFailed(),
        control.activeSeconds()));
    if (job.status() == JobStatus.CANCELLING) {
      return endCancelled(job, control);
    }
    if (control.pauseRequested()) {
      LOG.warn("Job {}: paused; its committed results stay, and a later run resumes it",
          job.jobId());
      return advance(advance(job, JobStatus.PAUSING), JobStatus.PAUSED);
    }
    job = advance(job, JobStatus.COMPLETING);
    job = writeReports(job, ran.results(), reportSpec, control);
    return finish(job, summary);
  }

  /**
   * The record's progress as the tasks begin: the tasks an earlier run got to succeed count
   * already, and so does the time it was Active.
   */
  private JobRecord tasksBegin(JobRecord job, long total, long activeBefore,
      JobControl control) {
    JobResults previous = JobResults.previous(spark, control.directory());
    long succeededBefore = previous == null ? 0
        : ProgressSummary.of(previous.latest(spark)).numberOfTasksSucceeded();
    JobRecord begun = store.update(job.jobId(), Owner.RUNNER, stored -> stored.withProgress(
        new JobProgress(total, Math.min(total, succeededBefore), 0, activeBefore)));
    control.tasksBegin(total, succeededBefore, activeBefore);
    return begun;
  }

  /** The reports written, and the completion report's location in the record. */
  private JobRecord writeReports(JobRecord job, JobResults results,
      CompletionReportSpec reportSpec, JobControl control) {
    WriteReports.Result written = new WriteReports(spark, settings.clients())
        .jobId(job.jobId()).directory(control.directory()).report(reportSpec)
        .catalogName(catalogNameOf(job.spec().request()))
        .execute(results);
    String location = written.reportLocation() != null ? written.reportLocation()
        : job.reportLocation();
    return store.update(job.jobId(), Owner.RUNNER,
        stored -> stored.withReportLocation(location));
  }

  /**
   * Ends a job the user cancelled: the tasks that ran have their results and their report (as
   * Amazon writes one for a cancelled job), and the job moves from Cancelling to Cancelled.
   */
  private JobRecord endCancelled(JobRecord job, JobControl control) {
    JobResults results = JobResults.previous(spark, control.directory());
    if (results != null) {
      ProgressSummary summary = ProgressSummary.of(results.latest(spark));
      long total = job.progress().totalNumberOfTasks();
      job = control.tasksEnded(new JobProgress(Math.max(total, summary.numberOfTasksSucceeded()
          + summary.numberOfTasksFailed()), summary.numberOfTasksSucceeded(),
          summary.numberOfTasksFailed(), Math.max(control.activeSeconds(),
              job.progress().elapsedTimeInActiveSeconds())));
      try {
        job = writeReports(job, results, WriteReports.spec(job.spec().request().report()),
            control);
      } catch (RuntimeException e) {
        LOG.error("Job {}: cancelled, and its report could not be written: {}", job.jobId(),
            e.getMessage());
      }
    }
    LOG.warn("Job {}: cancelled", job.jobId());
    return store.update(job.jobId(), Owner.RUNNER, stored ->
        stored.status() == JobStatus.CANCELLING ? stored.withStatus(JobStatus.CANCELLED,
            stored.statusUpdateReason()) : stored);
  }

  /** The user moved the job to Cancelling: the run ends it instead of going on. */
  private static final class CancelRequested extends RuntimeException {
    CancelRequested() {
      super(null, null, false, false);
    }
  }

  /** The manifest the job names, or the listing its ManifestGenerator asks for. */
  private static ManifestSource sourceOf(CreateJobRequest request) {
    if (request.manifest() == null && request.manifestGenerator() != null) {
      return new GeneratedManifestSource(request.manifestGenerator().s3JobManifestGenerator());
    }
    if (request.manifest() == null && request.dynamoDBManifest() != null) {
      return new DynamoDbManifestSource(DynamoDbTableManifest.fromSpec(
          request.dynamoDBManifest()));
    }
    return ManifestSource.of(PrepareManifest.manifestRequest(request));
  }

  /** {@code ReportTable.Name}: the catalog name of the job's report table, or null. */
  static String catalogNameOf(CreateJobRequest request) {
    return request.reportTable() == null ? null : request.reportTable().name();
  }

  /** {@code ManifestFilter.Where}, or null when there is none (a blank one keeps every row). */
  private static String whereOf(CreateJobRequest request) {
    String where = request.manifestFilter() == null ? null : request.manifestFilter().where();
    return where == null || where.isBlank() ? null : where.trim();
  }

  private static void checkRunnable(JobRecord job) {
    switch (job.status()) {
      case NEW, PREPARING, READY, ACTIVE, PAUSING, PAUSED, COMPLETING, CANCELLING -> { }
      case SUSPENDED -> throw new JobNotRunnableException("Job " + job.jobId()
          + " is Suspended, waiting for confirmation: run s3batch update-job-status --job-id "
          + job.jobId() + " --requested-job-status Ready");
      default -> throw new JobNotRunnableException("Job " + job.jobId() + " is "
          + job.status().awsName() + " and cannot run again; create a new job");
    }
  }

  /**
   * Moves forward unless an earlier run already got the job there or further.
   *
   * @throws CancelRequested when the user has cancelled the job meanwhile
   */
  private JobRecord advance(JobRecord job, JobStatus next) {
    JobRecord stored = store.update(job.jobId(), Owner.RUNNER, s ->
        s.status() == JobStatus.CANCELLING || s.status() == next || !s.status().canMoveTo(next)
            ? s : s.withStatus(next, null));
    if (stored.status() == JobStatus.CANCELLING) {
      throw new CancelRequested();
    }
    return stored;
  }

  private JobRecord fail(JobRecord job, String code, String reason) {
    return store.update(job.jobId(), Owner.RUNNER, stored -> stored
        .withFailure(new JobFailure(code, reason))
        .withStatus(JobStatus.FAILING, null)
        .withStatus(JobStatus.FAILED, null));
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
}
