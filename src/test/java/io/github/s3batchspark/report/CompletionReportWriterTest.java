package io.github.s3batchspark.report;

import static io.github.s3batchspark.report.ReportFixtures.csvRecords;
import static io.github.s3batchspark.report.ReportFixtures.failed;
import static io.github.s3batchspark.report.ReportFixtures.results;
import static io.github.s3batchspark.report.ReportFixtures.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class CompletionReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();

  private CompletionReportWriter writer(String jobId, CompletionReportSpec spec) {
    return new CompletionReportWriter(LocalSpark.session(), server.clientSettings())
        .jobId(jobId).report(spec);
  }

  @Test
  void reportFilesAreByteCompatibleWithAmazonsFormat() throws Exception {
    String reports = Buckets.create(s3, "reports");
    List<TaskResult> tasks = List.of(
        succeeded(1, "photos", "dir/a b.jpg", "Successful"),
        new TaskResult(2, "photos", "c+d.txt", "3HL4kqtJvjVBH40Nrjfkd", TaskResult.SUCCEEDED,
            null, 200, null, 1, ReportFixtures.T0, ReportFixtures.T0 + 5),
        failed(3, "photos", "100%.txt", 404, "NoSuchKey", "The specified key does not exist."),
        failed(4, "photos", "ünï/日本.txt", 403, "AccessDenied", "Access Denied, \"really\""),
        failed(5, "photos", "a,b\"c", 0, "RequestTimeout", "no answer\nat all"));
    Instant created = Instant.parse("2026-04-05T17:48:39.725Z");

    CompletionReport report = writer("f8fb9d89", CompletionReportSpec.allTasks(
        "arn:aws:s3:::" + reports, "batch/reports/"))
        .clock(Clock.fixed(created, ZoneOffset.UTC))
        .execute(results(tasks, 1));

    assertEquals("batch/reports/job-f8fb9d89/manifest.json", report.manifestKey());
    assertEquals(List.of("succeeded", "failed"), statuses(report));
    assertEquals("photos,dir/a%20b.jpg,,succeeded,200,,Successful\n"
        + "photos,c%2Bd.txt,3HL4kqtJvjVBH40Nrjfkd,succeeded,200,,\n",
        read(reports, report.files().get(0).key()));
    assertEquals("photos,100%25.txt,,failed,404,NoSuchKey,The specified key does not exist.\n"
        + "photos,%C3%BCn%C3%AF/%E6%97%A5%E6%9C%AC.txt,,failed,403,AccessDenied,"
        + "\"Access Denied, \"\"really\"\"\"\n"
        + "photos,a%2Cb%22c,,failed,,RequestTimeout,\"no answer\nat all\"\n",
        read(reports, report.files().get(1).key()));

    String manifestText = read(reports, report.manifestKey());
    JsonNode manifest = JSON.readTree(manifestText);
    assertEquals(List.of("Format", "ReportCreationDate", "Results", "ReportSchema"),
        fieldNames(manifest));
    assertEquals("Report_CSV_20180820", manifest.get("Format").asText());
    assertEquals("2026-04-05T17:48:39.725Z", manifest.get("ReportCreationDate").asText());
    assertEquals("Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage",
        manifest.get("ReportSchema").asText());
    JsonNode results = manifest.get("Results");
    assertEquals(2, results.size());
    for (int i = 0; i < results.size(); i++) {
      JsonNode file = results.get(i);
      assertEquals(List.of("TaskExecutionStatus", "Bucket", "MD5Checksum", "Key"),
          fieldNames(file));
      assertEquals(reports, file.get("Bucket").asText());
      assertEquals(report.files().get(i).taskExecutionStatus(),
          file.get("TaskExecutionStatus").asText());
      String key = file.get("Key").asText();
      assertTrue(key.matches("batch/reports/job-f8fb9d89/results/[0-9a-f-]{36}\\.csv"), key);
      assertEquals(md5Hex(readBytes(reports, key)), file.get("MD5Checksum").asText());
    }
  }

  @Test
  void everyResultIsExactlyOneLineAcrossPartitionsAndFiles() {
    String reports = Buckets.create(s3, "reports");
    List<TaskResult> tasks = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      tasks.add(i % 7 == 0
          ? failed(i, "src", "k " + i, 500, "InternalError", "try, later")
          : succeeded(i, "src", "k " + i, "Successful"));
    }

    CompletionReport report = writer("many", CompletionReportSpec.allTasks(
        "arn:aws:s3:::" + reports, "r")).execute(results(tasks, 4));

    assertEquals(8, report.files().size(), "one file per status per partition");
    Set<String> keys = new HashSet<>();
    long lines = 0;
    for (ResultsFile file : report.files()) {
      List<List<String>> records = csvRecords(read(reports, file.key()));
      assertEquals(file.lines(), records.size());
      lines += records.size();
      for (List<String> record : records) {
        assertEquals(7, record.size());
        assertEquals(file.taskExecutionStatus(), record.get(3));
        assertTrue(keys.add(URLDecoder.decode(record.get(1), StandardCharsets.UTF_8)),
            "listed twice: " + record);
      }
    }
    assertEquals(1000, lines);
    assertEquals(tasks.stream().map(TaskResult::key).collect(Collectors.toSet()), keys);
  }

  @Test
  void maxFilesPerStatusMergesPartitionsIntoFewerFiles() {
    String reports = Buckets.create(s3, "reports");
    List<TaskResult> tasks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tasks.add(i % 2 == 0 ? succeeded(i, "b", "k" + i, "Successful")
          : failed(i, "b", "k" + i, 403, "AccessDenied", "Access Denied"));
    }

    CompletionReport report = writer("merged", CompletionReportSpec.allTasks(
        "arn:aws:s3:::" + reports, "p")).maxFilesPerStatus(1).execute(results(tasks, 4));

    assertEquals(List.of("succeeded", "failed"), statuses(report));
    assertEquals(40, report.lines());
  }

  @Test
  void failedTasksOnlyReportHoldsOnlyFailuresAndNoSucceededFile() {
    String reports = Buckets.create(s3, "reports");
    List<TaskResult> tasks = List.of(succeeded(1, "b", "ok1", "Successful"),
        failed(2, "b", "bad", 404, "NoSuchKey", "gone"), succeeded(3, "b", "ok2", "Successful"));

    CompletionReport report = writer("failures", CompletionReportSpec.failedTasksOnly(
        "arn:aws:s3:::" + reports, null)).execute(results(tasks, 2));

    assertEquals("job-failures/manifest.json", report.manifestKey());
    assertEquals(List.of("failed"), statuses(report));
    assertEquals("b,bad,,failed,404,NoSuchKey,gone\n", read(reports, report.files().get(0).key()));
    JsonNode manifest = readJson(reports, report.manifestKey());
    assertEquals(1, manifest.get("Results").size());
    assertEquals("failed", manifest.get("Results").get(0).get("TaskExecutionStatus").asText());
    assertEquals(2, objects(reports).size(), "the manifest and one failed file");
  }

  @Test
  void failedTasksOnlyReportOfAJobWithoutFailuresListsNoFiles() {
    String reports = Buckets.create(s3, "reports");

    CompletionReport report = writer("clean", CompletionReportSpec.failedTasksOnly(
        "arn:aws:s3:::" + reports, "p")).execute(results(List.of(
            succeeded(1, "b", "ok", "Successful")), 1));

    assertTrue(report.files().isEmpty());
    assertEquals(0, readJson(reports, "p/job-clean/manifest.json").get("Results").size());
  }

  @Test
  void disabledReportWritesNothing() {
    String reports = Buckets.create(s3, "reports");
    CompletionReportSpec disabled = new CompletionReportSpec(false, "arn:aws:s3:::" + reports,
        "p", CompletionReportSpec.FORMAT, CompletionReportSpec.ALL_TASKS);

    CompletionReport report = writer("off", disabled).execute(results(List.of(
        failed(1, "b", "k", 404, "NoSuchKey", "gone")), 1));

    assertFalse(report.written());
    assertTrue(objects(reports).isEmpty());
  }

  @Test
  void nonexistentReportBucketIsNamedInTheError() {
    var e = assertThrows(IllegalArgumentException.class, () -> writer("nobucket",
        CompletionReportSpec.allTasks("arn:aws:s3:::no-such-report-bucket", "p"))
        .execute(results(List.of(succeeded(1, "b", "k", "Successful")), 1)));

    assertTrue(e.getMessage().contains("'no-such-report-bucket'"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void reportSpecThatCannotBeWrittenIsRefusedNamingTheField() {
    Dataset<Row> rows = results(List.of(succeeded(1, "b", "k", "Successful")), 1);
    var notAnArn = assertThrows(IllegalArgumentException.class, () -> writer("j",
        CompletionReportSpec.allTasks("my-reports", "p")).execute(rows));
    assertTrue(notAnArn.getMessage().contains("Report.Bucket"), notAnArn.getMessage());
    var scope = assertThrows(IllegalArgumentException.class, () -> writer("j",
        new CompletionReportSpec(true, "arn:aws:s3:::x", "p", CompletionReportSpec.FORMAT,
            "SomeTasks")).execute(rows));
    assertTrue(scope.getMessage().contains("Report.ReportScope"), scope.getMessage());
  }

  @Test
  void largeResultsFileGoesInPartsAndItsMd5IsOfTheWholeFile() {
    String reports = Buckets.create(s3, "reports");
    Dataset<Row> rows = LocalSpark.session().range(0, 12_000, 1, 1)
        .map((MapFunction<Long, Row>) i -> TaskResultSchema.toRow(
            succeeded(i, "big", "object-" + i, "x".repeat(1000))), TaskResultSchema.encoder());

    CompletionReport report = writer("big", CompletionReportSpec.allTasks(
        "arn:aws:s3:::" + reports, "p")).partSize(CompletionReportWriter.MIN_PART_SIZE)
        .execute(rows);

    ResultsFile file = report.files().get(0);
    byte[] body = readBytes(reports, file.key());
    assertTrue(body.length > 2 * CompletionReportWriter.MIN_PART_SIZE, "three parts at least");
    assertEquals(md5Hex(body), file.md5Checksum());
    assertEquals(12_000, csvRecords(new String(body, StandardCharsets.UTF_8)).size());
  }

  @Test
  void reportWrittenAgainReplacesItsFilesInsteadOfAddingOthers() {
    String reports = Buckets.create(s3, "reports");
    Dataset<Row> rows = results(List.of(succeeded(1, "b", "k1", "Successful"),
        failed(2, "b", "k2", 404, "NoSuchKey", "gone")), 2);
    CompletionReportSpec spec = CompletionReportSpec.allTasks("arn:aws:s3:::" + reports, "p");

    CompletionReport first = writer("again", spec).execute(rows);
    CompletionReport second = writer("again", spec).execute(rows);

    assertEquals(first.files(), second.files());
    assertEquals(first.files().size() + 1, objects(reports).size());
  }

  private static List<String> statuses(CompletionReport report) {
    return report.files().stream().map(ResultsFile::taskExecutionStatus).toList();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private List<S3Object> objects(String bucket) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().toList();
  }

  private String read(String bucket, String key) {
    return new String(readBytes(bucket, key), StandardCharsets.UTF_8);
  }

  private byte[] readBytes(String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  private JsonNode readJson(String bucket, String key) {
    try {
      return JSON.readTree(read(bucket, key));
    } catch (Exception e) {
      throw new AssertionError("not JSON: s3://" + bucket + "/" + key, e);
    }
  }

  private static String md5Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
