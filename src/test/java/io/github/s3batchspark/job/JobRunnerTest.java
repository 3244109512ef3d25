package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.demo.SampleBucket;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.report.TaskResultSchema;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import io.github.s3batchspark.testing.InventoryFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Whole jobs, from the CreateJob JSON to the completion report, on local Spark and S3Mock. */
class JobRunnerTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static SparkSession spark;
  private static String source;
  private static String reports;
  private static SampleBucket.Inventory inventory;

  @TempDir Path storeDir;

  @BeforeAll
  static void sampleBucketWithInventory() throws Exception {
    spark = LocalSpark.session();
    source = Buckets.create(S3, "jobsrc");
    reports = Buckets.create(S3, "jobreports");
    inventory = new SampleBucket(S3).create(source, Buckets.create(S3, "jobinv"), 120);
  }

  private JobStore store() {
    return HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
  }

  private JobRunner runner(JobStore store) {
    return new JobRunner(spark, store, RunSettings.defaults()
        .withClients(SERVER.clientSettings()).withPartitions(3));
  }

  private static String inventoryJob(String operation, String where, String scope) {
    return """
        {"AccountId": "123456789012",
         "Operation": %s,
         "Manifest": {"Spec": {"Format": "S3InventoryReport_CSV_20161130"},
                      "Location": {"ObjectArn": "%s", "ETag": "%s"}},
         %s
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "reports", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "%s"},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(operation, inventory.manifestArn(), inventory.manifestEtag(),
        where == null ? "" : "\"ManifestFilter\": {\"Where\": \"" + where + "\"},", reports, scope);
  }

  /** A job of {@code operation} over a CSV manifest of {@code lines}, written to a new bucket. */
  private static String csvJobWithoutReport(String operation, CharSequence lines) {
    String manifestBucket = Buckets.create(S3, "jobmanifest");
    String etag = S3.putObject(b -> b.bucket(manifestBucket).key("manifest.csv"),
        RequestBody.fromString(lines.toString())).eTag().replace("\"", "");
    return io.github.s3batchspark.testing.CsvJobJson.unreported(operation, manifestBucket, etag);
  }

  private static List<String> keysUnder(String bucket, String prefix) {
    return S3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key).toList();
  }

  private static List<String> reportLines(JobRecord job) {
    String manifestKey = "reports/job-" + job.jobId() + "/manifest.json";
    String manifest = S3.getObjectAsBytes(b -> b.bucket(reports).key(manifestKey))
        .asUtf8String();
    List<String> lines = new ArrayList<>();
    for (String key : keysUnder(reports, "reports/job-" + job.jobId() + "/results/")) {
      assertTrue(manifest.contains(key), "manifest.json lists " + key);
      String body = S3.getObjectAsBytes(b -> b.bucket(reports).key(key)).asUtf8String();
      body.lines().forEach(lines::add);
    }
    return lines;
  }

  @Test
  void javaFunctionWhoseClassDoesNotLoadIsRefusedAsABadSpecBeforeAnythingIsRecorded() {
    JobStore store = store();
    // parsing does not load the class: a stored job stays readable on any machine
    JobSpec spec = JobSpecParser.parse(JobFixtures.taggingWith(job -> job.set("Operation",
        JobFixtures.JSON.createObjectNode().set("JavaFunction",
            JobFixtures.JSON.createObjectNode().put("ClassName", "com.example.Transcoder")))));
    String problem = "Operation.JavaFunction.ClassName: \"com.example.Transcoder\" is not a "
        + "class on the classpath";

    var created = assertThrows(JobSpecException.class, () -> JobRunner.create(store, spec));
    var dryRun = assertThrows(JobSpecException.class, () -> runner(store).dryRun(spec));
    assertEquals(List.of(), store.list().jobs());

    JobRecord recordedElsewhere = store.create(spec);
    var run = assertThrows(JobSpecException.class,
        () -> runner(store).run(recordedElsewhere.jobId()));

    for (JobSpecException e : List.of(created, dryRun, run)) {
      assertEquals(1, e.problems().size(), e.problems().toString());
      assertTrue(e.problems().get(0).startsWith(problem), e.problems().get(0));
    }
    assertEquals(JobStatus.NEW, store.get(recordedElsewhere.jobId()).status());
  }

  @Test
  void taggingJobFilteredBySqlTagsExactlyTheMatchingObjectsAndReportsEachOnce() {
    JobStore store = store();
    JobRecord created = JobRunner.create(store, JobSpecParser.parse(inventoryJob(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"stage\", \"Value\": \"done\"}]}}",
        "key LIKE 'logs/%'", "AllTasks")));

    JobRecord done = runner(store).run(created.jobId());

    List<String> logs = keysUnder(source, "logs/");
    assertEquals(JobStatus.COMPLETE, done.status());
    assertEquals(logs.size(), done.progress().totalNumberOfTasks());
    assertEquals(logs.size(), done.progress().numberOfTasksSucceeded());
    for (String key : keysUnder(source, "")) {
      boolean tagged = S3.getObjectTagging(b -> b.bucket(source).key(key)).tagSet().stream()
          .anyMatch(t -> t.key().equals("stage"));
      assertEquals(key.startsWith("logs/"), tagged, key);
    }
    List<String> lines = reportLines(done);
    assertEquals(logs.size(), lines.size());
    assertEquals(logs.size(), lines.stream().map(l -> l.split(",")[1]).distinct().count());
    // an inventory's empty VersionId on the latest version means the current object: no version
    assertTrue(lines.stream().allMatch(l -> l.startsWith(source + ",logs/")
        && l.endsWith(".txt,,succeeded,200,,Successful")), lines.get(0));
    assertEquals("s3://" + reports + "/reports/job-" + done.jobId() + "/manifest.json",
        done.reportLocation());
    assertEquals(done, store.get(done.jobId()));
  }

  @Test
  void copyOfObjectChangedSinceTheInventoryFailsByEtagGuardAndLeavesTargetUntouched() {
    String target = Buckets.create(S3, "jobtarget");
    List<String> images = keysUnder(source, "images/");
    String changed = images.get(0);
    S3.putObject(b -> b.bucket(source).key(changed), RequestBody.fromString("rewritten later"));
    JobStore store = store();
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(inventoryJob(
        "{\"S3PutObjectCopy\": {\"TargetResource\": \"arn:aws:s3:::" + target + "\"}}",
        "key LIKE 'images/%'", "FailedTasksOnly")));

    JobRecord done = runner(store).run(job.jobId());

    assertEquals(JobStatus.COMPLETE, done.status());
    assertEquals(1, done.progress().numberOfTasksFailed());
    assertEquals(images.size() - 1, done.progress().numberOfTasksSucceeded());
    List<String> copied = keysUnder(target, "");
    assertEquals(images.size() - 1, copied.size());
    assertFalse(copied.contains(changed));
    List<String> lines = reportLines(done);
    assertEquals(1, lines.size(), "FailedTasksOnly holds only the failure");
    assertTrue(lines.get(0).contains(",failed,412,PreconditionFailed,"), lines.get(0));
  }

  @Test
  void jobWithConfirmationRequiredWaitsSuspendedUntilConfirmed() {
    JobStore store = store();
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(
        inventoryJob("{\"S3DeleteObjectTagging\": {}}", "key LIKE 'exports/%'", "AllTasks")
            .replace("\"Priority\": 1,", "\"Priority\": 1, \"ConfirmationRequired\": true,")));

    assertEquals(JobStatus.SUSPENDED, job.status());
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> runner(store).run(job.jobId()));
    assertTrue(refused.getMessage().contains("--requested-job-status Ready"),
        refused.getMessage());

    store.update(job.jobId(), Owner.USER, stored -> stored.withStatus(JobStatus.READY,
        "confirmed"));
    assertEquals(JobStatus.COMPLETE, runner(store).run(job.jobId()).status());
  }

  @Test
  void unreadableManifestFailsTheJobBeforeAnyObjectIsTouched() {
    JobStore store = store();
    String spec = inventoryJob("{\"S3PutObjectTagging\": {\"TagSet\": []}}", null, "AllTasks")
        .replace(inventory.manifestArn(), "arn:aws:s3:::" + source + "/no/such/manifest.json");
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(spec));

    JobRecord done = runner(store).run(job.jobId());

    assertEquals(JobStatus.FAILED, done.status());
    assertEquals("ManifestReadFailed", done.failureReasons().get(0).failureCode());
    assertTrue(done.failureReasons().get(0).failureReason().contains("no/such/manifest.json"),
        done.failureReasons().get(0).failureReason());
    assertEquals(0, done.progress().totalNumberOfTasks());
    assertTrue(keysUnder(reports, "reports/job-" + job.jobId()).isEmpty());
  }

  @Test
  void manifestRefusedWhereExecutorsReadItFailsTheJobInTheManifestsOwnWords() throws Exception {
    String destination = Buckets.create(S3, "jobbadinv");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(("\"" + source + "\",\"100%zz\",\"1\",\"e\"\n").getBytes(StandardCharsets.UTF_8));
    }
    byte[] data = gz.toByteArray();
    S3.putObject(b -> b.bucket(destination).key("data/bad.csv.gz"), RequestBody.fromBytes(data));
    String json = "{\"sourceBucket\":\"" + source + "\",\"destinationBucket\":\"arn:aws:s3:::"
        + destination + "\",\"version\":\"2016-11-30\",\"fileFormat\":\"CSV\","
        + "\"fileSchema\":\"Bucket, Key, Size, ETag\",\"files\":[{\"key\":\"data/bad.csv.gz\","
        + "\"size\":" + data.length + ",\"MD5checksum\":\"" + InventoryFixture.md5(data) + "\"}]}";
    String etag = Buckets.put(S3, destination, "manifest.json", json);
    String spec = inventoryJob("{\"S3PutObjectTagging\": {\"TagSet\": []}}", null, "AllTasks")
        .replace(inventory.manifestArn(), "arn:aws:s3:::" + destination + "/manifest.json")
        .replace(inventory.manifestEtag(), etag.replace("\"", ""));
    JobStore store = store();

    JobRecord done = runner(store).run(JobRunner.create(store, JobSpecParser.parse(spec)).jobId());

    assertEquals(JobStatus.FAILED, done.status());
    assertEquals("ManifestReadFailed", done.failureReasons().get(0).failureCode());
    String reason = done.failureReasons().get(0).failureReason();
    assertTrue(reason.startsWith("Inventory data file ") && reason.endsWith(
        "has key '100%zz' that is not URL-encoded correctly: '%zz' at position 4 is not a hex"
            + " escape (write a literal % as %25)"), reason);
  }

  @Test
  void missingReportBucketFailsTheJobBeforeAnyObjectIsTouched() {
    JobStore store = store();
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(inventoryJob(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"never\", \"Value\": \"x\"}]}}",
        null, "AllTasks").replace("arn:aws:s3:::" + reports, "arn:aws:s3:::no-such-reports")));

    JobRecord done = runner(store).run(job.jobId());

    assertEquals(JobStatus.FAILED, done.status());
    assertEquals("InvalidReport", done.failureReasons().get(0).failureCode());
    assertTrue(done.failureReasons().get(0).failureReason()
        .contains("arn:aws:s3:::no-such-reports: the bucket does not exist"),
        done.failureReasons().get(0).failureReason());
    for (String key : keysUnder(source, "")) {
      assertTrue(S3.getObjectTagging(b -> b.bucket(source).key(key)).tagSet().stream()
          .noneMatch(t -> t.key().equals("never")), key);
    }
  }

  @Test
  void resumedJobSkipsTasksThatAlreadySucceeded() throws Exception {
    JobStore store = store();
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(inventoryJob(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"resumed\", \"Value\": \"yes\"}]}}",
        "key LIKE 'archive/%'", "AllTasks")));
    // An earlier run that stopped after task 0 succeeded: its manifest and its result are kept.
    Path jobDir = Path.of(store.jobDirectory(job.jobId()).toUri());
    Dataset<Row> manifest = io.github.s3batchspark.manifest.ManifestLoader.loadWithTaskIds(spark,
        PrepareManifest.manifestRequest(job.spec().request()), SERVER.clientSettings());
    manifest.write().parquet(jobDir.resolve("manifest").toString());
    Row first = manifest.filter("task_id = 0").first();
    String skippedKey = first.getAs("key");
    Timestamp now = new Timestamp(System.currentTimeMillis());
    spark.createDataFrame(List.of(RowFactory.create(0L, source, skippedKey, null,
            TaskResult.SUCCEEDED, null, 200, "from the first run", 1, now, now)),
        TaskResultSchema.schema())
        .write().parquet(jobDir.resolve("results/run=1/wave=2").toString());
    store.update(job.jobId(), Owner.RUNNER, stored -> stored
        .withStatus(JobStatus.PREPARING, null)
        .withStatus(JobStatus.READY, null).withStatus(JobStatus.ACTIVE, null));

    JobRecord done = runner(store).run(job.jobId());

    long archived = keysUnder(source, "archive/").size();
    assertEquals(JobStatus.COMPLETE, done.status());
    assertEquals(archived, done.progress().numberOfTasksSucceeded());
    assertTrue(S3.getObjectTagging(b -> b.bucket(source).key(skippedKey)).tagSet().isEmpty(),
        "the task that had succeeded was not run again");
    List<String> lines = reportLines(done);
    assertEquals(archived, lines.size());
    assertEquals(1, lines.stream().filter(l -> l.endsWith("from the first run")).count());
  }

  @Test
  void jobFailsEarlyWhenMoreThanHalfOfTheFirstThousandTasksFail() throws Exception {
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 1500; i++) {
      csv.append(source).append(",missing/object-").append(i).append('\n');
    }
    String spec = csvJobWithoutReport("{\"S3PutObjectTagging\": {\"TagSet\": []}}", csv);
    JobStore store = store();
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(spec));

    JobRecord done = runner(store).run(job.jobId());

    assertEquals(JobStatus.FAILED, done.status());
    assertEquals("TaskFailureThresholdExceeded", done.failureReasons().get(0).failureCode());
    assertEquals(1500, done.progress().totalNumberOfTasks());
    assertEquals(1000, done.progress().numberOfTasksFailed(), "stopped after the first wave");
    assertNull(done.reportLocation());
    Set<String> codes = spark.read().parquet(store.jobDirectory(job.jobId()) + "/report-table")
        .select("error_code").distinct().collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toSet());
    assertEquals(Set.of("NoSuchKey"), codes);
    assertTrue(Files.isDirectory(Path.of(store.jobDirectory(job.jobId()).toUri())
        .resolve("report-table")));
    assertTrue(new String(Files.readAllBytes(Path.of(store.jobDirectory(job.jobId()).toUri())
        .resolve("record/" + String.format("%09d.json", done.version()))),
        StandardCharsets.UTF_8).contains("\"Failed\""));
  }

  /**
   * Waves of 250 ms of work on local Spark cost more than 250 ms each to plan and commit: sized
   * by the wall time of the wave before, each would come out smaller than the last until all
   * were 1 % of the job. Each wave after the first is sized by the rate its predecessor's tasks
   * ran at (first start to last end), whatever its fixed cost.
   */
  @Test
  void wavesAreSizedByTheRateTheirTasksRanAtNotByTheWaveBeforesWallTime() throws Exception {
    List<String> keys = keysUnder(source, "").stream() // URL-encoded, as a CSV manifest has them
        .map(k -> java.net.URLEncoder.encode(k, StandardCharsets.UTF_8).replace("+", "%20")
            .replace("%2F", "/")).toList();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 600; i++) {
      csv.append(source).append(',').append(keys.get(i % keys.size())).append('\n');
    }
    String spec = csvJobWithoutReport(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"wave\", \"Value\": \"sized\"}]}}",
        csv);
    JobStore store = store();
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(spec));
    java.time.Duration waveTime = java.time.Duration.ofMillis(250);

    JobRecord done = new JobRunner(spark, store, RunSettings.defaults()
        .withClients(SERVER.clientSettings()).withPartitions(2).withFailFastMinTasks(20)
        .withWaveTime(waveTime)).run(job.jobId());

    assertEquals(JobStatus.COMPLETE, done.status());
    assertEquals(600, done.progress().numberOfTasksSucceeded(), () -> spark.read()
        .parquet(store.jobDirectory(job.jobId()) + "/report-table").groupBy("error_code",
            "result_message").count().collectAsList().toString());
    Path results = Path.of(store.jobDirectory(job.jobId()).toUri()).resolve("results");
    Path run;
    try (var runs = Files.list(results)) {
      run = runs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    List<Dataset<Row>> waves = new ArrayList<>();
    for (int wave = 1; Files.isDirectory(run.resolve("wave=" + wave)); wave++) {
      waves.add(spark.read().parquet(run.resolve("wave=" + wave).toString()));
    }
    assertTrue(waves.size() >= 3, "a first wave and at least two main waves: " + waves.size());
    assertEquals(20, waves.get(0).count(), "the first wave is failFastMinTasks' tasks");
    long ran = waves.get(0).count();
    for (int i = 1; i < waves.size() - 1; i++) { // the last wave is what was left
      long expected = Math.min(600 - ran,
          RunTasks.waveSize(600, RunTasks.activeRate(waves.get(i - 1)), waveTime));
      assertEquals(expected, waves.get(i).count(), "wave " + (i + 1));
      ran += expected;
    }
  }

  @Test
  void javaFunctionSeesTheInventoryColumnsOfItsRowAndTheUserArguments() {
    JobStore store = store();
    JobRecord created = JobRunner.create(store, JobSpecParser.parse(inventoryJob("""
        {"JavaFunction": {"ClassName": "io.github.s3batchspark.function.JavaFunctionTest$Echo",
                          "UserArguments": {"preset": "720p"}}}
        """, "key LIKE 'logs/%'", "AllTasks")));

    JobRecord done = runner(store).run(created.jobId());

    assertEquals(JobStatus.COMPLETE, done.status());
    List<String> lines = reportLines(done);
    assertEquals(keysUnder(source, "logs/").size(), lines.size());
    for (String line : lines) {
      String key = java.net.URLDecoder.decode(line.split(",")[1], StandardCharsets.UTF_8);
      long size = S3.headObject(b -> b.bucket(source).key(key)).contentLength();
      assertTrue(line.endsWith(",succeeded,200,," + key + " size=" + size + " preset=720p"),
          line);
    }
  }
}
