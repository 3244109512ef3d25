package io.github.s3batchspark.job;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.spec.JobReport;
import io.github.s3batchspark.report.CompletionReport;
import io.github.s3batchspark.report.CompletionReportSpec;
import io.github.s3batchspark.report.CompletionReportWriter;
import io.github.s3batchspark.report.ReportTable;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The last stage of a job: every task's latest result written as the report table in the job
 * directory, then, when the job asks for one, the AWS completion report made from that table;
 * last, when the job names one ({@code ReportTable.Name}), the table registered in the session's
 * catalog under that name.
 *
 * <p>The completion report writer names its files after the partitions it reads, so its input
 * must read back the same way if Spark retries one of its tasks: a first run's results do, and
 * both are written from them at once; a resumed job's report is made from the table as written.
 */
public final class WriteReports {
  /**
   * Where the completion report is written while the table is. A new thread per report: Spark
   * hands a thread's local properties (the run's job group) to the threads it starts.
   */
  private static final Executor REPORT_THREADS = task -> {
    Thread thread = new Thread(task, "s3batch-completion-report");
    thread.setDaemon(true);
    thread.start();
  };

  /**
   * @param reportLocation the completion report's {@code manifest.json} as an
   *     {@code s3://} URI, or null when the job asked for none
   * @param reportTable    the report table, Parquet
   */
  public record Result(String reportLocation, String reportTable) {}

  private final SparkSession spark;
  private final ClientSettings clients;
  private String jobId;
  private JobDirectory directory;
  private CompletionReportSpec report = CompletionReportSpec.disabled();
  private String catalogName;

  /** @param clients the settings of the client that uploads the report, as the job's role */
  public WriteReports(SparkSession spark, ClientSettings clients) {
    this.spark = spark;
    this.clients = clients;
  }

  public WriteReports jobId(String jobId) {
    this.jobId = jobId;
    return this;
  }

  public WriteReports directory(JobDirectory directory) {
    this.directory = directory;
    return this;
  }

  /** The completion report the job asked for; none unless set. */
  public WriteReports report(CompletionReportSpec report) {
    this.report = report;
    return this;
  }

  /** The name to register the report table under in the catalog; none unless set. */
  public WriteReports catalogName(String catalogName) {
    this.catalogName = catalogName;
    return this;
  }

  public Result execute(JobResults results) {
    Objects.requireNonNull(jobId, "Cannot write reports: no job id given");
    Objects.requireNonNull(directory, "Cannot write reports: no job directory given");
    String previous = spark.sparkContext().getLocalProperty("spark.job.description");
    spark.sparkContext().setJobDescription("Writing the reports of job " + jobId);
    try {
      Result written = doExecute(results);
      if (catalogName != null) { // after the table's files are committed, never over half of them
        ReportTable.register(spark, written.reportTable(), catalogName);
      }
      return written;
    } finally {
      spark.sparkContext().setJobDescription(previous);
    }
  }

  private Result doExecute(JobResults results) {
    String table = directory.reportTable();
    if (!report.enabled()) {
      ReportTable.write(results.latest(spark), table);
      return new Result(null, table);
    }
    if (results.resumed()) {
      // The latest rows of a resumed job come out of a shuffle, whose order a retried task
      // need not repeat; the table as written reads back the same way.
      ReportTable.write(results.latest(spark), table);
      return new Result(completionReport(ReportTable.read(spark, table)), table);
    }
    // A first run's results are committed Parquet files, read the same way by a retried task,
    // so the completion report is written from them while the table is: two Spark jobs at once
    // instead of one after the other.
    CompletableFuture<String> completion = CompletableFuture.supplyAsync(
        () -> completionReport(results.latest(spark)), REPORT_THREADS);
    try {
      ReportTable.write(results.latest(spark), table);
    } finally {
      completion.handle((location, failure) -> null).join(); // never leave it running
    }
    try {
      return new Result(completion.join(), table);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private String completionReport(Dataset<Row> rows) {
    CompletionReport written = new CompletionReportWriter(spark, clients)
        .jobId(jobId).report(report).execute(rows);
    return "s3://" + written.bucket() + "/" + written.manifestKey();
  }

  /**
   * The completion report a job spec asks for.
   *
   * @throws IllegalArgumentException naming the {@code Report} field that is wrong
   */
  static CompletionReportSpec spec(JobReport report) {
    if (report == null || !Boolean.TRUE.equals(report.enabled())) {
      return CompletionReportSpec.disabled();
    }
    String scope = report.reportScope() == null ? CompletionReportSpec.ALL_TASKS
        : report.reportScope();
    return new CompletionReportSpec(true, report.bucket(), report.prefix(), report.format(),
        scope, report.expectedBucketOwner()).validate();
  }

  /**
   * Refuses, before any object is touched, a job whose report could not be written at its end
   * (Amazon checks the report bucket when the job is created).
   *
   * @throws IllegalArgumentException naming {@code Report.Bucket} and what to do
   */
  static void checkBucket(CompletionReportSpec spec, ClientSettings clients) {
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
}
