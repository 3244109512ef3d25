package io.github.s3batchspark.job;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.manifest.ManifestSchema;
import io.github.s3batchspark.report.TaskResultSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A new job over the tasks of an earlier one: all of them, only those that failed, or only those
 * it never ran (it was cancelled or failed part way). The earlier job's numbered manifest and its
 * report table say which objects, with their exact keys and versions; they are written as a CSV
 * manifest (Amazon's format, keys URL-encoded) next to the earlier job's report, and the new job
 * is the earlier one's CreateJob request pointed at it, with the changes the user gives on top. The
 * new job carries the tag {@code s3batch:clonedFrom = <jobId>/<tasks>}.
 */
public final class JobClone {
  public static final String CLONED_FROM_TAG = "s3batch:clonedFrom";

  /** Which of the earlier job's tasks the new job runs. */
  public enum Tasks {
    ALL, FAILED, NOT_RUN;

    public static Tasks parse(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "all" -> ALL;
        case "failed" -> FAILED;
        case "not-run" -> NOT_RUN;
        default -> throw JobSpecException.of("--tasks must be all, failed or not-run, got "
            + value);
      };
    }

    String spelt() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private JobClone() {}

  /**
   * The CreateJob request of the clone, its manifest written to S3 (signed as the job's role).
   *
   * @param manifestUri where to write the clone's manifest ({@code s3://bucket/key}), or null
   *                    for {@code <Report.Prefix>/job-<jobId>/clones/<tasks>-<millis>.csv} in
   *                    the earlier job's report bucket
   * @param changes     members that replace the earlier request's (Description, Priority,
   *                    Report, ...), or null
   * @throws JobSpecException when the earlier job has not the tasks asked for, or the result
   *     is not a valid job
   */
  public static JobSpec spec(SparkSession spark, JobStore store, String jobId, Tasks tasks,
      String manifestUri, ObjectNode changes, ClientSettings clients) {
    JobRecord earlier = store.get(jobId);
    Dataset<Row> rows = rows(spark, store, earlier, tasks);
    boolean versions = rows.filter(col(ManifestSchema.VERSION_ID).isNotNull()).limit(1)
        .count() > 0;
    String[] where = location(earlier, tasks, manifestUri);
    ClientSettings asRole = clients.forJob(earlier.spec().request().roleArn(), "create-job");
    String etag = upload(rows, versions, where[0], where[1], asRole);

    ObjectNode tree = earlier.spec().tree().deepCopy();
    tree.remove("ManifestGenerator");
    tree.remove("DynamoDBManifest");
    tree.remove("ManifestFilter"); // applied already: the rows are the ones it kept
    tree.remove("ClientRequestToken");
    ObjectNode manifest = tree.putObject("Manifest");
    ArrayNode fields = manifest.putObject("Spec").put("Format", "S3BatchOperations_CSV_20180820")
        .putArray("Fields").add("Bucket").add("Key");
    if (versions) {
      fields.add("VersionId");
    }
    manifest.putObject("Location").put("ObjectArn", "arn:aws:s3:::" + where[0] + "/" + where[1])
        .put("ETag", etag);
    tree.put("Description", shortened("Clone of " + jobId + ": its " + tasks.spelt()
        + " tasks"));
    ArrayNode tags = tree.withArray("Tags");
    for (int i = tags.size() - 1; i >= 0; i--) {
      if (CLONED_FROM_TAG.equals(tags.get(i).path("Key").asText())) {
        tags.remove(i);
      }
    }
    tags.addObject().put("Key", CLONED_FROM_TAG).put("Value", jobId + "/" + tasks.spelt());
    if (changes != null) {
      changes.fields().forEachRemaining(e -> tree.set(e.getKey(), e.getValue()));
    }
    return JobSpecParser.parse(tree.toString());
  }

  /** The earlier job's manifest rows that the clone runs. */
  private static Dataset<Row> rows(SparkSession spark, JobStore store, JobRecord earlier,
      Tasks tasks) {
    JobDirectory directory = JobDirectory.of(store, earlier.jobId());
    if (!exists(spark, directory.manifest())) {
      throw JobSpecException.of("Job " + earlier.jobId() + " never built its manifest (it is "
          + earlier.status().awsName() + "): run it, or create a new job from its JSON");
    }
    Dataset<Row> manifest = spark.read().parquet(directory.manifest());
    if (tasks == Tasks.ALL) {
      return objects(manifest);
    }
    if (!exists(spark, directory.reportTable())) {
      throw JobSpecException.of("Job " + earlier.jobId() + " has no report table yet (it is "
          + earlier.status().awsName() + "): --tasks " + tasks.spelt() + " needs a job that"
          + " ended; wait for it, or cancel it");
    }
    Dataset<Row> results = spark.read().parquet(directory.reportTable());
    Dataset<Row> picked = tasks == Tasks.FAILED
        ? manifest.join(results.filter(col(TaskResultSchema.TASK_STATUS).equalTo("failed"))
            .select(col(TaskResultSchema.TASK_ID).as("_done")),
            col(ManifestSchema.TASK_ID).equalTo(col("_done")), "left_semi")
        : manifest.join(results.select(col(TaskResultSchema.TASK_ID).as("_done")),
            col(ManifestSchema.TASK_ID).equalTo(col("_done")), "left_anti");
    return objects(picked);
  }

  private static Dataset<Row> objects(Dataset<Row> rows) {
    return rows.orderBy(ManifestSchema.TASK_ID).select(ManifestSchema.BUCKET, ManifestSchema.KEY,
        ManifestSchema.VERSION_ID);
  }

  /** Bucket and key of the clone's manifest. */
  private static String[] location(JobRecord earlier, Tasks tasks, String manifestUri) {
    if (manifestUri != null) {
      if (!manifestUri.startsWith("s3://") || manifestUri.indexOf('/', 5) < 6
          || manifestUri.endsWith("/")) {
        throw JobSpecException.of("--manifest-location must be s3://bucket/key, got "
            + manifestUri);
      }
      int slash = manifestUri.indexOf('/', 5);
      return new String[] {manifestUri.substring(5, slash), manifestUri.substring(slash + 1)};
    }
    JsonNode report = earlier.spec().tree().path("Report");
    if (!report.path("Enabled").asBoolean(false) || !report.hasNonNull("Bucket")) {
      throw JobSpecException.of("Job " + earlier.jobId() + " wrote no report, so the clone's"
          + " manifest has no place by default: give --manifest-location s3://bucket/key");
    }
    String bucket = report.get("Bucket").asText().replaceFirst("^arn:aws[a-z-]*:s3:::", "");
    String prefix = report.path("Prefix").asText("");
    return new String[] {bucket, (prefix.isEmpty() ? "" : prefix.replaceAll("/+$", "") + "/")
        + "job-" + earlier.jobId() + "/clones/" + tasks.spelt() + "-"
        + System.currentTimeMillis() + ".csv"};
  }

  /**
   * Writes the rows as one CSV manifest object and returns its ETag: streamed through a local
   * file, a partition at a time, so the driver never holds the rows.
   */
  private static String upload(Dataset<Row> rows, boolean versions, String bucket, String key,
      ClientSettings clients) {
    Path file = null;
    long count = 0;
    try {
      file = Files.createTempFile("s3batch-clone", ".csv");
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Iterator<Row> it = rows.toLocalIterator(); it.hasNext(); count++) {
          Row row = it.next();
          out.write(row.getString(0) + "," + SdkHttpUtils.urlEncodeIgnoreSlashes(row.getString(1))
              + (versions ? "," + (row.isNullAt(2) ? "" : row.getString(2)) : "") + "\n");
        }
      }
      if (count == 0) {
        throw JobSpecException.of("the earlier job has no such tasks: nothing to clone");
      }
      Path written = file;
      try (S3Client s3 = ExecutorClients.syncClient(clients)) {
        return s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/csv"),
            RequestBody.fromFile(written)).eTag().replace("\"", "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the clone's manifest", e);
    } finally {
      if (file != null) {
        file.toFile().delete();
      }
    }
  }

  private static String shortened(String text) {
    return text.length() <= 256 ? text : text.substring(0, 256);
  }

  private static boolean exists(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
