package io.github.s3batchspark.cli;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobProgress;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.notify.NoticeSettings;
import io.github.s3batchspark.notify.NotifyingJobStore;
import io.github.s3batchspark.notify.RunNotices;
import io.github.s3batchspark.job.RunHooks;
import java.time.Clock;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.kohsuke.args4j.Option;

/**
 * {@code run --cli-input-json file://job.json} creates a job and runs it to its end;
 * {@code run --job-id ID} runs (or resumes) a job that exists. Prints DescribeJob's output on
 * stdout and a one-paragraph summary on stderr; exits 1 when the job ends Failed.
 */
public final class RunCommand extends NotifyingVerb {

  @Option(name = "--cli-input-json", metaVar = "JSON", forbids = "--job-id",
      usage = "the CreateJob request: file://path, or the JSON itself")
  String input;

  @Option(name = "--job-id", metaVar = "ID", forbids = "--cli-input-json",
      usage = "run or resume a job that create-job recorded")
  String jobId;

  @Option(name = "--partitions", metaVar = "N",
      usage = "partitions of the execution stage (default: one per 20,000 tasks, at least 4 "
          + "per core); spark.s3batch.partitions")
  Integer partitions;

  @Option(name = "--in-flight", metaVar = "N",
      usage = "requests in flight per partition (default 256); spark.s3batch.inFlight")
  Integer inFlight;

  @Option(name = "--fixed-prefix-concurrency",
      usage = "do not adapt the requests in flight per key prefix to S3's SlowDown answers (by "
          + "default each prefix gets fewer when it answers SlowDown, more while it does not); "
          + "spark.s3batch.adaptivePrefixConcurrency=false")
  boolean fixedPrefixConcurrency;

  @Option(name = "--max-attempts", metaVar = "N",
      usage = "attempts per task on retryable errors (default 10); spark.s3batch.maxAttempts")
  Integer maxAttempts;

  @Option(name = "--multipart-threshold", metaVar = "BYTES",
      usage = "copy objects above this size in parts (default 5 GiB, S3's CopyObject limit); "
          + "spark.s3batch.multipartThreshold")
  Long multipartThreshold;

  @Option(name = "--multipart-part-size", metaVar = "BYTES",
      usage = "part size of a multipart copy (default 256 MiB); spark.s3batch.multipartPartSize")
  Long multipartPartSize;

  @Option(name = "--dry-run",
      usage = "validate, build the manifest and print one JSON line per task saying what it "
          + "would do; change nothing and record no job")
  boolean dryRun;

  @Option(name = "--lambda-endpoint-url", metaVar = "URL",
      usage = "Lambda endpoint for LambdaInvoke jobs (default: AWS_ENDPOINT_URL_LAMBDA, else "
          + "AWS); spark.s3batch.lambdaEndpointUrl")
  String lambdaEndpointUrl;

  @Option(name = "--lambda-timeout-seconds", metaVar = "N",
      usage = "how long one Lambda Invoke may take before its task fails with LambdaTimeout "
          + "(default 960, Lambda's 15-minute limit and a margin); spark.s3batch.lambdaTimeout")
  Long lambdaTimeoutSeconds;

  @Option(name = "--lease-timeout-seconds", metaVar = "N",
      usage = "how long after this run's last heartbeat another run may take the job over "
          + "(default 30; at least 9); spark.s3batch.leaseTimeout")
  Integer leaseTimeoutSeconds;

  @Option(name = "--no-live-progress",
      usage = "count nothing while the tasks run: no progress line, no metrics source, and "
          + "describe-job shows the job's counts only when its tasks end; "
          + "spark.s3batch.liveProgress=false")
  boolean noLiveProgress;

  @Option(name = "--report-table-name", metaVar = "DB.TABLE", forbids = "--job-id",
      usage = "register the job's report table in the session's catalog under this name (table "
          + "or database.table; the Hive metastore, on EMR the Glue Data Catalog, when Spark has "
          + "one) so that Spark SQL or Athena query it; the job JSON's ReportTable.Name")
  String reportTableName;

  @Override
  public int run(PrintStream out, PrintStream err) {
    if ((input == null) == (jobId == null)) {
      throw new UsageException("run needs --cli-input-json (a new job) or --job-id (a job that "
          + "exists)");
    }
    if (jobId != null) {
      checkJobId(jobId);
    }
    checkNotices();
    JobSpec checked = named(checkedBeforeSpark());
    SparkSession spark = SparkSessions.forJobs(false, !noLiveProgress);
    RunSettings settings = settings(spark.sparkContext().getConf());
    NoticeSettings notices = noticeSettings(spark.sparkContext().getConf(), settings.clients());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    try (NotifyingJobStore store = notifying(openStore(hadoop, settings.clients()), notices)) {
      return run(spark, settings, notices, store, checked, hadoop, out, err);
    } // closing sends the status notices still queued
  }

  private int run(SparkSession spark, RunSettings settings, NoticeSettings notices,
      JobStore store, JobSpec checked, Configuration hadoop, PrintStream out, PrintStream err) {
    JobSpec spec = checked != null ? checked
        : input != null ? named(checkAccount(readSpec(input, hadoop, settings.clients())))
        : null;
    if (dryRun) {
      JobSpec dry = spec != null ? spec : store.get(jobId).spec();
      return DryRunOutput.print(new JobRunner(spark, store, settings).dryRun(dry), dry, out,
          err);
    }
    JobRecord job = spec != null ? JobRunner.create(store, spec, settings.clients())
        : checkAccount(store.get(jobId));
    if (job.status() == JobStatus.SUSPENDED) {
      out.println(Json.write(job.toDescribeJobOutput()));
      err.println("Job " + job.jobId() + " waits for confirmation (ConfirmationRequired): "
          + "s3batch update-job-status --job-id " + job.jobId()
          + " --requested-job-status Ready, then s3batch run --job-id " + job.jobId());
      return 0;
    }
    if (spec != null) { // said before the run, so that a run cut short can be resumed
      err.println("Job " + job.jobId() + " recorded; if this run stops, resume it with"
          + " s3batch run --job-id " + job.jobId());
    }
    long started = System.nanoTime();
    ProgressLine progress = new ProgressLine(err, System.console() != null);
    JobRecord done;
    try {
      String id = job.jobId();
      done = new RunNotices(runNotices(notices), Clock.systemUTC()).run(store, id,
          RunHooks.watching(progress), hooks -> new JobRunner(spark, store, settings).run(id,
              hooks));
    } finally {
      progress.finish();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.println(Json.write(done.toDescribeJobOutput()));
    err.println(summary(done, seconds));
    return switch (done.status()) {
      case COMPLETE -> 0;
      case CANCELLED -> 3; // the user stopped it: not all its work was done, nor did it fail
      default -> 1;
    };
  }

  /**
   * A job JSON given as a file or inline, read and its manifest filter checked before Spark
   * starts (a refused spec costs no session); null for a job id, or a JSON on a Hadoop path,
   * which needs the session's Hadoop settings to be read.
   */
  private JobSpec checkedBeforeSpark() {
    if (input == null || isHadoopPath(input)) {
      return null;
    }
    ClientSettings clients = settings(new SparkConf()).clients();
    JobSpec spec = checkAccount(readSpec(input, new Configuration(), clients));
    JobRunner.checkManifestFilter(spec, clients);
    return spec;
  }

  /** The spec with {@code --report-table-name} as its {@code ReportTable.Name}, when given. */
  private JobSpec named(JobSpec spec) {
    return spec == null || reportTableName == null ? spec
        : JobSpecParser.withReportTable(spec, reportTableName);
  }

  private RunSettings settings(SparkConf conf) {
    RunSettings s;
    try {
      s = RunSettings.from(conf);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ClientSettings clients = clientSettings(s.clients());
    if (multipartThreshold != null || multipartPartSize != null) {
      clients = clients.withMultipart(
          multipartThreshold != null ? multipartThreshold : clients.multipartThreshold(),
          multipartPartSize != null ? multipartPartSize : clients.multipartPartSize());
    }
    if (lambdaEndpointUrl != null || lambdaTimeoutSeconds != null) {
      clients = clients.withLambda(
          lambdaEndpointUrl != null ? lambdaEndpointUrl : clients.lambdaEndpointUrl(),
          lambdaTimeoutSeconds != null ? lambdaTimeoutSeconds * 1000
              : clients.lambdaTimeoutMillis());
    }
    s = s.withClients(clients);
    if (inFlight != null) {
      s = s.withRunner(s.runner().withInFlight(inFlight));
    }
    if (maxAttempts != null) {
      s = s.withRunner(s.runner().withRetries(maxAttempts, s.runner().baseBackoffMs(),
          s.runner().maxBackoffMs()));
    }
    if (fixedPrefixConcurrency) {
      s = s.withRunner(s.runner().withAdaptivePrefixConcurrency(false));
    }
    if (partitions != null) {
      s = s.withPartitions(partitions);
    }
    if (noLiveProgress) {
      s = s.withLiveProgress(false);
    }
    if (leaseTimeoutSeconds != null) {
      if (leaseTimeoutSeconds < 9) {
        throw new UsageException("--lease-timeout-seconds must be at least 9 (three heartbeats"
            + " of 3 s), got " + leaseTimeoutSeconds);
      }
      s = s.withLeaseTimeout(java.time.Duration.ofSeconds(leaseTimeoutSeconds));
    }
    return s;
  }

  static String summary(JobRecord job, double seconds) {
    JobProgress p = job.progress();
    StringBuilder s = new StringBuilder();
    s.append(String.format("Job %s %s: %,d tasks, %,d succeeded, %,d failed in %.1f s "
            + "(%,.0f objects/s)", job.jobId(), job.status().awsName(),
        p.totalNumberOfTasks(), p.numberOfTasksSucceeded(), p.numberOfTasksFailed(), seconds,
        p.numberOfTasksDone() / Math.max(seconds, 0.001)));
    if (job.reportLocation() != null) {
      s.append("\nCompletion report: ").append(job.reportLocation());
    }
    if (job.status() == JobStatus.COMPLETE && job.spec().request().reportTable() != null) {
      s.append("\nReport table: ").append(job.spec().request().reportTable().name());
    }
    job.failureReasons().forEach(f -> s.append("\nFailure: ").append(f.failureCode())
        .append(": ").append(f.failureReason()));
    return s.toString();
  }
}
