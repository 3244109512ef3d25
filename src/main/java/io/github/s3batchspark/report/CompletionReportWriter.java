package io.github.s3batchspark.report;

import static io.github.s3batchspark.report.TaskResultSchema.BUCKET;
import static io.github.s3batchspark.report.TaskResultSchema.ERROR_CODE;
import static io.github.s3batchspark.report.TaskResultSchema.HTTP_STATUS_CODE;
import static io.github.s3batchspark.report.TaskResultSchema.KEY;
import static io.github.s3batchspark.report.TaskResultSchema.RESULT_MESSAGE;
import static io.github.s3batchspark.report.TaskResultSchema.TASK_STATUS;
import static io.github.s3batchspark.report.TaskResultSchema.VERSION_ID;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.TaskResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes a job's completion report as Amazon S3 Batch Operations writes it: results files under
 * {@code <prefix>/job-<jobId>/results/<uuid>.csv} in the report bucket, succeeded and failed
 * tasks in separate files (no succeeded files for {@code FailedTasksOnly}), then
 * {@code <prefix>/job-<jobId>/manifest.json} that lists them with their MD5. The line format is
 * described on {@link ReportLine}.
 *
 * <p><b>How it scales.</b> The executors write the results files, each partition streaming its
 * rows into one file per task status through the S3 SDK (multipart once a file outgrows a part),
 * and hand the driver only the file's key, MD5 and line count. So the work spreads over the
 * cluster, no row ever passes through the driver, and an executor holds at most one part per
 * status. The alternatives were worse for a billion rows: the driver streaming
 * {@code toLocalIterator()} into one upload is a single stream through one machine, and Spark's
 * CSV writer over s3a cannot write Amazon's format (its key encoding, its names and MD5s in a
 * manifest) without a second pass to read every file again.
 *
 * <p>A file's name is a UUID derived from the job, the status and the partition, so a Spark task
 * that is retried (or run twice speculatively) writes the same object again, with the same bytes:
 * the report never lists a file twice. {@code manifest.json} is written last; a report is
 * complete when it exists. A task killed mid-upload may leave an incomplete multipart upload,
 * which a bucket lifecycle rule (AbortIncompleteMultipartUpload) clears.
 *
 * <p>Usage: {@code new CompletionReportWriter(spark, clientSettings).jobId(id).report(spec)
 * .execute(results)}.
 */
public final class CompletionReportWriter {
  /**
   * The manifest's {@code ReportSchema}, Amazon's text as is: its lines put HTTPStatusCode before
   * ErrorCode all the same (see {@link ReportLine}).
   */
  public static final String REPORT_SCHEMA =
      "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage";
  /** S3's smallest part, except the last one of an upload. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(CompletionReportWriter.class);
  private static final DateTimeFormatter CREATION_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB_GROUP_ID = "spark.jobGroup.id";
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private final SparkSession spark;
  private final ClientSettings clientSettings;
  private String jobId;
  private CompletionReportSpec spec;
  private int partSize = 16 * 1024 * 1024;
  private int maxFilesPerStatus = 0;
  private Clock clock = Clock.systemUTC();

  public CompletionReportWriter(SparkSession spark, ClientSettings clientSettings) {
    this.spark = spark;
    this.clientSettings = clientSettings;
  }

  public CompletionReportWriter jobId(String jobId) {
    this.jobId = jobId;
    return this;
  }

  public CompletionReportWriter report(CompletionReportSpec spec) {
    this.spec = spec;
    return this;
  }

  /** Bytes a results file grows by before it goes to S3 as one part (default 16 MiB). */
  public CompletionReportWriter partSize(int bytes) {
    if (bytes < MIN_PART_SIZE) {
      throw new IllegalArgumentException("The report part size must be at least "
          + MIN_PART_SIZE + " bytes (S3's smallest part), got " + bytes);
    }
    this.partSize = bytes;
    return this;
  }

  /**
   * At most this many results files per task status (by merging partitions; 0, the default,
   * means one per partition of the results).
   */
  public CompletionReportWriter maxFilesPerStatus(int files) {
    if (files < 0) {
      throw new IllegalArgumentException("maxFilesPerStatus must be 0 (no limit) or more, got "
          + files);
    }
    this.maxFilesPerStatus = files;
    return this;
  }

  /** The clock of {@code ReportCreationDate}. */
  public CompletionReportWriter clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Writes the report of these results (rows of {@link TaskResultSchema}), or nothing when the
   * report is not enabled.
   *
   * @throws IllegalArgumentException when the spec is wrong or the report bucket does not exist
   */
  public CompletionReport execute(Dataset<Row> results) {
    if (spec == null || !spec.enabled()) {
      LOG.info("Job {} asked for no completion report: nothing written", jobId);
      return CompletionReport.notWritten();
    }
    validate();
    String folder = spec.jobFolder(jobId);
    SparkContext sc = spark.sparkContext();
    String callerGroup = sc.getLocalProperty(JOB_GROUP_ID);
    String callerDescription = sc.getLocalProperty(JOB_DESCRIPTION);
    sc.setJobGroup("report-" + jobId, "Writing the completion report of job " + jobId
        + " to s3://" + spec.bucket() + "/" + folder, false);
    try {
      return doExecute(results, folder);
    } finally {
      // the caller's own job group (the job runner's, say) applies again to what it runs next
      sc.setLocalProperty(JOB_GROUP_ID, callerGroup);
      sc.setLocalProperty(JOB_DESCRIPTION, callerDescription);
    }
  }

  private CompletionReport doExecute(Dataset<Row> results, String folder) {
    String bucket = spec.bucket();
    Dataset<Row> reported = spec.failedTasksOnly()
        ? results.filter(col(TASK_STATUS).equalTo(TaskResult.FAILED)) : results;
    Dataset<Row> lines = limitFiles(reported.select(col(BUCKET), col(KEY), col(VERSION_ID),
        col(TASK_STATUS), col(HTTP_STATUS_CODE), col(ERROR_CODE), col(RESULT_MESSAGE)));
    List<ResultsFile> files = new ArrayList<>(lines.javaRDD().mapPartitionsWithIndex(
        new PartitionWriter(clientSettings, bucket, spec.expectedBucketOwner(),
            folder + "/results", jobId, partSize), false)
        .collect());
    files.sort(Comparator.comparing((ResultsFile f) -> !TaskResult.SUCCEEDED.equals(
        f.taskExecutionStatus())));
    String manifestKey = folder + "/manifest.json";
    putManifest(bucket, manifestKey, files);
    CompletionReport report = new CompletionReport(bucket, manifestKey, files);
    LOG.info("Wrote the completion report of job {}: {} tasks in {} files, s3://{}/{}", jobId,
        report.lines(), files.size(), bucket, manifestKey);
    return report;
  }

  private void validate() {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("Cannot write a completion report without a job id");
    }
    spec.validate();
    String bucket = spec.bucket();
    try (S3Client s3 = ExecutorClients.syncClient(clientSettings)) {
      s3.headBucket(b -> b.bucket(bucket).expectedBucketOwner(spec.expectedBucketOwner()));
    } catch (NoSuchBucketException e) {
      throw new IllegalArgumentException("Cannot write the completion report of job " + jobId
          + ": the report bucket '" + bucket + "' (Report.Bucket " + spec.bucketArn()
          + ") does not exist", e);
    } catch (S3Exception e) {
      throw new IllegalStateException("Cannot write the completion report of job " + jobId
          + ": the report bucket '" + bucket + "' answered HTTP " + e.statusCode() + " ("
          + e.getMessage() + "); check that it exists and that this job may write to it", e);
    }
  }

  private Dataset<Row> limitFiles(Dataset<Row> lines) {
    if (maxFilesPerStatus > 0 && lines.rdd().getNumPartitions() > maxFilesPerStatus) {
      return lines.coalesce(maxFilesPerStatus);
    }
    return lines;
  }

  private void putManifest(String bucket, String key, List<ResultsFile> files) {
    byte[] body = manifestJson(files).getBytes(StandardCharsets.UTF_8);
    try (S3Client s3 = ExecutorClients.syncClient(clientSettings)) {
      s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json")
              .expectedBucketOwner(spec.expectedBucketOwner()),
          RequestBody.fromBytes(body));
    } catch (SdkException e) {
      throw new IllegalStateException("Cannot write the completion report manifest s3://"
          + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  /** The manifest, with Amazon's field names in Amazon's order. */
  String manifestJson(List<ResultsFile> files) {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("Format", CompletionReportSpec.FORMAT);
    manifest.put("ReportCreationDate", CREATION_DATE.format(clock.instant()));
    ArrayNode results = manifest.putArray("Results");
    for (ResultsFile file : files) {
      results.addObject()
          .put("TaskExecutionStatus", file.taskExecutionStatus())
          .put("Bucket", file.bucket())
          .put("MD5Checksum", file.md5Checksum())
          .put("Key", file.key());
    }
    manifest.put("ReportSchema", REPORT_SCHEMA);
    try {
      return JSON.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the report manifest", e);
    }
  }

  /** Runs on an executor: streams one partition's lines into one file per task status. */
  private static final class PartitionWriter
      implements Function2<Integer, Iterator<Row>, Iterator<ResultsFile>> {
    private final ClientSettings clientSettings;
    private final String bucket;
    private final String expectedBucketOwner;
    private final String resultsFolder;
    private final String jobId;
    private final int partSize;

    PartitionWriter(ClientSettings clientSettings, String bucket, String expectedBucketOwner,
        String resultsFolder, String jobId, int partSize) {
      this.clientSettings = clientSettings;
      this.bucket = bucket;
      this.expectedBucketOwner = expectedBucketOwner;
      this.resultsFolder = resultsFolder;
      this.jobId = jobId;
      this.partSize = partSize;
    }

    @Override
    public Iterator<ResultsFile> call(Integer partition, Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return List.<ResultsFile>of().iterator();
      }
      Map<String, ResultsFileUpload> uploads = new LinkedHashMap<>();
      try (S3Client s3 = ExecutorClients.syncClient(clientSettings)) {
        try {
          while (rows.hasNext()) {
            Row r = rows.next();
            String status = r.getString(3);
            uploads.computeIfAbsent(status, s -> new ResultsFileUpload(s3, bucket,
                expectedBucketOwner, fileKey(s, partition), partSize))
                .writeLine(ReportLine.of(r.getString(0), r.getString(1), r.getString(2), status,
                    r.isNullAt(4) ? null : r.getInt(4), r.getString(5), r.getString(6)));
          }
          List<ResultsFile> files = new ArrayList<>();
          for (Map.Entry<String, ResultsFileUpload> e : uploads.entrySet()) {
            String md5 = e.getValue().finish();
            files.add(new ResultsFile(e.getKey(), bucket, e.getValue().key(), md5,
                e.getValue().lines()));
          }
          return files.iterator();
        } catch (RuntimeException e) {
          uploads.values().forEach(u -> u.abort(e));
          throw e;
        }
      }
    }

    /** The same name for the same job, status and partition, so a retried task overwrites. */
    private String fileKey(String status, int partition) {
      UUID id = UUID.nameUUIDFromBytes((jobId + "/" + status + "/" + partition)
          .getBytes(StandardCharsets.UTF_8));
      return resultsFolder + "/" + id + ".csv";
    }
  }
}
