package io.github.s3batchspark.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import io.github.s3batchspark.bench.ObjectStore.S3Object;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a finished job left behind, counted: the lines of its completion report (read back from
 * the load server) and the rows of its results table (read from the job store).
 *
 * @param reportLines     lines in the report's CSV files
 * @param reportObjects   distinct objects among them
 * @param reportSucceeded lines whose TaskStatus is succeeded
 * @param resultRows      rows of the results table, every run and wave
 * @param resultTasks     distinct task ids among them
 * @param attempts        requests the results count, retries included
 * @param mostAttempts    the most attempts one task took
 */
record JobAudit(long reportLines, long reportObjects, long reportSucceeded, long resultRows,
    long resultTasks, long attempts, int mostAttempts) {

  static JobAudit of(LoadS3Server server, SparkSession spark, Path jobStore, String jobId) {
    long lines = 0;
    long succeeded = 0;
    Set<String> objects = new HashSet<>();
    ObjectStore.Bucket reports = server.store().bucket(ProjectJob.REPORT_BUCKET);
    for (Map.Entry<String, S3Object> e : reports.objects.entrySet()) {
      if (!e.getKey().contains("job-" + jobId + "/") || !e.getKey().endsWith(".csv")) {
        continue;
      }
      byte[] body = ((ObjectContent.Stored) e.getValue().content()).bytes();
      for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        // Bucket,Key,VersionId,TaskStatus,...: keys are URL-encoded, so commas split cleanly.
        String[] fields = line.split(",", 5);
        lines++;
        objects.add(fields[0] + "/" + fields[1]);
        if (fields[3].equals("succeeded")) {
          succeeded++;
        }
      }
    }
    Row results = spark.read()
        .parquet(jobStore.resolve("jobs").resolve(jobId).resolve("results").toString())
        .agg(count(col("task_id")), countDistinct(col("task_id")), sum(col("attempts")),
            max(col("attempts")))
        .first();
    return new JobAudit(lines, objects.size(), succeeded, results.getLong(0),
        results.getLong(1), results.isNullAt(2) ? 0 : results.getLong(2),
        results.isNullAt(3) ? 0 : results.getInt(3));
  }
}
