package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
  void aTableRegisteredInAHiveMetastoreIsReadByNameByAnotherSparkApplication() throws Exception {
    Path job = jobFile("hive-table", "h.txt");
    Path metastore = dir.resolve("metastore");
    List<String> hive = List.of("spark.sql.catalogImplementation=hive",
        "spark.sql.warehouse.dir=" + metastore.resolve("warehouse").toUri(),
        "spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName="
            + metastore.resolve("metastore_db") + ";create=true",
        "derby.system.home=" + metastore);

    Path runLog = dir.resolve("run.log");
    Process run = ChildRun.start(runLog, hive, List.of("run", "--cli-input-json",
        "file://" + job, "--report-table-name", "hive_reports.tagging", "--job-store",
        dir.resolve("store").toString(), "--endpoint-url", SERVER.endpoint(), "--credentials",
        "caller"));
    assertTrue(run.waitFor(10, TimeUnit.MINUTES), "s3batch run did not end");
    assertEquals(0, run.exitValue(), Files.readString(runLog));

    Path analystLog = dir.resolve("analyst.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
        "bin", "java").toString(), "-Xmx1g"));
    command.addAll(ChildRun.moduleOpenings());
    command.addAll(List.of("-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1"));
    hive.forEach(p -> command.add("-D" + p));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        HiveTableRows.class.getName(), "hive_reports.tagging"));
    Process analyst = new ProcessBuilder(command).redirectOutput(analystLog.toFile())
        .redirectError(dir.resolve("analyst.err").toFile()).start();
    assertTrue(analyst.waitFor(5, TimeUnit.MINUTES), "the analyst's application did not end");

    assertEquals(0, analyst.exitValue(), Files.readString(dir.resolve("analyst.err")));
    assertEquals(List.of("row: h.txt succeeded"), Files.readAllLines(analystLog).stream()
        .filter(l -> l.startsWith("row: ")).toList(), Files.readString(analystLog));
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
