package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.report.ReportTable;
import io.github.s3batchspark.report.TaskResultSchema;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job that names its report table ({@code ReportTable.Name}) leaves it in the session's
 * catalog under that name, so that another session of the application (an analyst's Spark SQL)
 * reads it by name; a name that would replace a table other than a report table is refused
 * before any object is touched.
 */
class ReportCatalogTableTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final String TAGGING =
      "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"reviewed\", \"Value\": \"yes\"}]}}";

  @TempDir Path storeDir;

  @Test
  void reportTableIsReadByItsCatalogNameFromAnotherSessionWhenTheJobEnds() {
    String bucket = Buckets.create(S3, "catalog");
    Buckets.put(S3, bucket, "a.txt", "a");
    Buckets.put(S3, bucket, "b.txt", "b");
    JobRecord done = run(bucket, "a.txt,b.txt,missing.txt", "job_reports.tagging");

    assertEquals(JobStatus.COMPLETE, done.status());
    SparkSession analyst = LocalSpark.session().newSession();
    assertEquals(Set.of("a.txt succeeded null", "b.txt succeeded null",
        "missing.txt failed NoSuchKey"), rows(analyst.table("job_reports.tagging")
        .select("key", "task_status", "error_code").collectAsList()));
    assertEquals(List.of("missing.txt"), analyst.sql("SELECT key FROM job_reports.tagging"
        + " WHERE task_status = 'failed'").collectAsList().stream().map(r -> r.getString(0))
        .toList());
    String[] columns = TaskResultSchema.schema().fieldNames();
    assertEquals(rows(ReportTable.read(LocalSpark.session(), JobDirectory.of(store(),
        done.jobId()).reportTable()).collectAsList()), rows(analyst.table("job_reports.tagging")
        .selectExpr(columns).collectAsList()));
  }

  @Test
  void aLaterJobTakesTheNameOverFromAnEarlierJobsReportTable() {
    String bucket = Buckets.create(S3, "catalog-again");
    Buckets.put(S3, bucket, "first.txt", "1");
    Buckets.put(S3, bucket, "second.txt", "2");
    run(bucket, "first.txt", "job_reports.latest");
    JobRecord second = run(bucket, "second.txt", "job_reports.latest");

    assertEquals(JobStatus.COMPLETE, second.status());
    assertEquals(Set.of("second.txt succeeded null"), rows(LocalSpark.session().newSession()
        .table("job_reports.latest").select("key", "task_status", "error_code")
        .collectAsList()));
  }

  @Test
  void aNameHeldByATableThatIsNoReportFailsTheJobBeforeAnyObjectIsTagged() {
    String bucket = Buckets.create(S3, "catalog-taken");
    Buckets.put(S3, bucket, "keep.txt", "k");
    LocalSpark.session().sql("CREATE DATABASE IF NOT EXISTS analysts");
    LocalSpark.session().sql("CREATE TABLE IF NOT EXISTS analysts.budget USING parquet"
        + " AS SELECT 1 AS amount");

    JobRecord done = run(bucket, "keep.txt", "analysts.budget");

    assertEquals(JobStatus.FAILED, done.status());
    assertEquals("InvalidReport", done.failureReasons().get(0).failureCode());
    assertTrue(done.failureReasons().get(0).failureReason().startsWith(
        "ReportTable.Name analysts.budget: the catalog has a managed table of that name that is"
            + " not a job's report table"), done.failureReasons().toString());
    assertEquals(List.of(), S3.getObjectTagging(b -> b.bucket(bucket).key("keep.txt")).tagSet());
    assertEquals(1, LocalSpark.session().table("analysts.budget").count());
  }

  @Test
  void aCatalogNameThatIsNotDatabaseDotTableIsRefusedAtCreateJob() {
    String json = CsvJobJson.of(TAGGING, "any-bucket", "etag", "reports").trim();
    JobSpecException refused = assertThrows(JobSpecException.class, () -> JobSpecParser.parse(
        json.substring(0, json.length() - 1) + ", \"ReportTable\": {\"Name\": \"a.b.c\"}}"));
    assertTrue(refused.getMessage().contains("ReportTable.Name"), refused.getMessage());
  }

  private JobRecord run(String bucket, String keys, String tableName) {
    String manifest = Set.of(keys.split(",")).stream().sorted()
        .map(k -> bucket + "," + k + "\n").collect(Collectors.joining());
    String etag = Buckets.put(S3, bucket, "manifest.csv", manifest).replace("\"", "");
    String json = CsvJobJson.of(TAGGING, bucket, etag, "reports").trim();
    JobSpec spec = JobSpecParser.withReportTable(JobSpecParser.parse(json), tableName);
    JobStore store = store();
    JobRecord job = JobRunner.create(store, spec);
    return new JobRunner(LocalSpark.session(), store, RunSettings.defaults()
        .withClients(SERVER.clientSettings()).withPartitions(2)).run(job.jobId());
  }

  private JobStore store() {
    return HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
  }

  private static Set<String> rows(List<Row> rows) {
    return rows.stream().map(r -> r.mkString(" ")).collect(Collectors.toSet());
  }
}
