package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code run --report-table-name db.table} registers the job's report table under that name,
 * says so, and keeps the name with the job; a name that is no catalog name is refused before
 * anything runs.
 */
class ReportTableNameCliTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();

  @TempDir Path dir;

  @Test
  void runRegistersTheReportTableUnderTheNameGivenOnTheCommandLine() throws Exception {
    LocalSpark.session(); // the session the command's getOrCreate finds, as under spark-submit
    Path job = jobFile("cli-table", "x.txt");

    CliOutcome ran = CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), "run",
        "--cli-input-json", "file://" + job, "--report-table-name", "cli_reports.tagging");

    assertEquals(0, ran.code(), ran.err());
    assertTrue(ran.err().contains("\nReport table: cli_reports.tagging"), ran.err());
    assertEquals("cli_reports.tagging", ran.json().path("Job").path("ReportTable")
        .path("Name").asText(), ran.out());
    assertEquals(List.of("x.txt succeeded"), LocalSpark.session().newSession()
        .sql("SELECT key, task_status FROM cli_reports.tagging").collectAsList().stream()
        .map(r -> r.mkString(" ")).toList());
  }

  @Test
  void aReportTableNameThatIsNoCatalogNameIsRefusedNamingTheField() throws Exception {
    Path job = jobFile("cli-bad-table", "y.txt");

    CliOutcome refused = CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), "run",
        "--cli-input-json", "file://" + job, "--report-table-name", "my reports");

    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("ReportTable.Name"), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(!Files.exists(dir.resolve("store").resolve("jobs")), "no job recorded");
  }

  private Path jobFile(String purpose, String key) throws Exception {
    String bucket = Buckets.create(S3, purpose);
    Buckets.put(S3, bucket, key, "x");
    String etag = Buckets.put(S3, bucket, "manifest.csv", bucket + "," + key + "\n")
        .replace("\"", "");
    Path job = dir.resolve("job.json");
    Files.writeString(job, CsvJobJson.of("{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": "
        + "\"k\", \"Value\": \"v\"}]}}", bucket, etag, "reports"));
    return job;
  }
}
