package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.manifest.ManifestLoader;
import io.github.s3batchspark.report.TaskResultSchema;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.InventoryFixture.Entry;
import io.github.s3batchspark.testing.InventoryFixture.Format;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Whole S3ReplicateObject jobs over several versions of each object, from the CreateJob JSON to
 * the completion report: the versioned destination ends with the source's version stack.
 *
 * <p>moto, because it keeps versions and replication configurations (S3Mock has neither), and
 * lists versions newest first with their millisecond LastModified, as S3 does.
 */
class ReplicationVersionOrderTest {
  private static final LocalS3Server MOTO = LocalS3Server.moto();
  private static final S3Client S3 = MOTO.client();
  /** The objects and their versions' contents, oldest first. */
  private static final Map<String, List<String>> OBJECTS = new LinkedHashMap<>();

  static {
    OBJECTS.put("doc.txt", List.of("doc 1", "doc 2", "doc 3", "doc 4", "doc 5"));
    OBJECTS.put("notes/a b+c.txt", List.of("notes 1", "notes 2", "notes 3"));
    OBJECTS.put("single", List.of("only one"));
  }

  private final SparkSession spark = LocalSpark.session();
  private String source;
  private String target;
  private String reports;

  @TempDir Path storeDir;

  @BeforeEach
  void versionedSourceReplicatedToAVersionedTarget() {
    source = Buckets.createVersioned(S3, "order-src");
    target = Buckets.createVersioned(S3, "order-dst");
    reports = Buckets.create(S3, "order-reports");
    Buckets.replicateEverything(S3, source, target, StorageClass.STANDARD);
  }

  /**
   * Writes the versions of {@link #OBJECTS} in rounds (every object's first version, then every
   * object's second, ...), {@code apart} milliseconds between rounds: S3 and moto give
   * LastModified to the second, so versions written within one second look the same age.
   */
  private void writeVersions(long apart) throws InterruptedException {
    for (int round = 0; round < 5; round++) {
      if (round > 0) {
        Thread.sleep(apart);
      }
      for (var object : OBJECTS.entrySet()) {
        if (round < object.getValue().size()) {
          String content = object.getValue().get(round);
          S3.putObject(b -> b.bucket(source).key(object.getKey()),
              RequestBody.fromString(content));
        }
      }
    }
  }

  @Test
  void versionsThatTheInventoryListsNewestFirstAreReplicatedOldestFirst() throws Exception {
    writeVersions(1100);
    List<ObjectVersion> listed = S3.listObjectVersions(b -> b.bucket(source)).versions();
    assertEquals("doc 5", content(source, listed.get(0)), "moto lists the newest first");
    List<Entry> entries = listed.stream().map(v -> new Entry(source, v.key(), v.versionId(),
        v.isLatest(), false, v.size(), v.lastModified(), v.eTag().replace("\"", ""),
        "STANDARD")).toList();
    var report = InventoryFixture.write(S3, spark, reports, Format.CSV, true, entries, 2);

    JobRecord done = run(job("""
        {"Spec": {"Format": "S3InventoryReport_CSV_20161130"},
         "Location": {"ObjectArn": "arn:aws:s3:::%s/%s", "ETag": "%s"}}
        """.formatted(reports, report.manifest().key(),
        report.manifest().etag().replace("\"", ""))));

    assertEquals(JobStatus.COMPLETE, done.status());
    assertEquals(9, done.progress().numberOfTasksSucceeded());
    OBJECTS.forEach((key, contents) ->
        assertEquals(reversed(contents), contentsNewestFirst(target, key), key));
    assertReportHasOneSucceededRowPerSourceVersion(done);
  }

  @Test
  void versionsOfACsvManifestAreReplicatedInTheOrderItListsThem() throws Exception {
    writeVersions(0);
    StringBuilder csv = new StringBuilder();
    for (String key : OBJECTS.keySet()) {
      for (ObjectVersion v : versionsOldestFirst(source, key)) {
        csv.append(source).append(',').append(URLEncoder.encode(key, StandardCharsets.UTF_8))
            .append(',').append(v.versionId()).append('\n');
      }
    }
    String etag = S3.putObject(b -> b.bucket(reports).key("versions.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");

    JobRecord done = run(job("""
        {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                  "Fields": ["Bucket", "Key", "VersionId"]},
         "Location": {"ObjectArn": "arn:aws:s3:::%s/versions.csv", "ETag": "%s"}}
        """.formatted(reports, etag)));

    assertEquals(JobStatus.COMPLETE, done.status());
    OBJECTS.forEach((key, contents) ->
        assertEquals(reversed(contents), contentsNewestFirst(target, key), key));
    assertReportHasOneSucceededRowPerSourceVersion(done);
  }

  @Test
  void resumedJobDoesNotPutAnOlderVersionOverANewerOneThatAnEarlierRunReplicated()
      throws Exception {
    writeVersions(0);
    List<ObjectVersion> doc = versionsOldestFirst(source, "doc.txt");
    StringBuilder csv = new StringBuilder();
    doc.forEach(v -> csv.append(source).append(",doc.txt,").append(v.versionId()).append('\n'));
    String etag = S3.putObject(b -> b.bucket(reports).key("doc.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    JobStore store = store();
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(job("""
        {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                  "Fields": ["Bucket", "Key", "VersionId"]},
         "Location": {"ObjectArn": "arn:aws:s3:::%s/doc.csv", "ETag": "%s"}}
        """.formatted(reports, etag))));
    // An earlier run that stopped after replicating the third version; the first two failed.
    S3.copyObject(b -> b.sourceBucket(source).sourceKey("doc.txt")
        .sourceVersionId(doc.get(2).versionId()).destinationBucket(target)
        .destinationKey("doc.txt"));
    Path jobDir = Path.of(store.jobDirectory(job.jobId()).toUri());
    Dataset<Row> manifest = ManifestLoader.loadWithTaskIds(spark,
        PrepareManifest.manifestRequest(job.spec().request()), MOTO.clientSettings());
    manifest.write().parquet(jobDir.resolve("manifest").toString());
    Timestamp then = new Timestamp(System.currentTimeMillis());
    List<Row> earlier = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      boolean replicated = i == 2;
      earlier.add(RowFactory.create((long) i, source, "doc.txt", doc.get(i).versionId(),
          replicated ? TaskResult.SUCCEEDED : TaskResult.FAILED,
          replicated ? null : "SlowDown", replicated ? 200 : 503, "from the first run", 1,
          then, then));
    }
    spark.createDataFrame(earlier, TaskResultSchema.schema())
        .write().parquet(jobDir.resolve("results/run=1/wave=2").toString());
    store.update(job.jobId(), Owner.RUNNER, stored -> stored
        .withStatus(JobStatus.PREPARING, null)
        .withStatus(JobStatus.READY, null).withStatus(JobStatus.ACTIVE, null));

    JobRecord done = runner(store).run(job.jobId());

    assertEquals(JobStatus.COMPLETE, done.status());
    assertEquals(List.of("doc 5", "doc 4", "doc 3"), contentsNewestFirst(target, "doc.txt"),
        "versions 4 and 5 went on top of 3; 1 and 2 were not put over them");
    Map<String, String> codes = reportLines(done).stream().map(l -> l.split(","))
        .collect(Collectors.toMap(l -> l[2], l -> l[3] + " " + l[4] + " " + l[5]));
    assertEquals(Map.of(doc.get(0).versionId(), "failed 409 " + VersionOrder.LATER_VERSION_STARTED,
        doc.get(1).versionId(), "failed 409 " + VersionOrder.LATER_VERSION_STARTED,
        doc.get(2).versionId(), "succeeded 200 ",
        doc.get(3).versionId(), "succeeded 200 ",
        doc.get(4).versionId(), "succeeded 200 "), codes);
  }

  private void assertReportHasOneSucceededRowPerSourceVersion(JobRecord done) {
    List<String> lines = reportLines(done);
    List<String> expected = new ArrayList<>();
    OBJECTS.keySet().forEach(key -> versionsOldestFirst(source, key)
        .forEach(v -> expected.add(key + "@" + v.versionId())));
    assertEquals(expected.stream().sorted().toList(), lines.stream().map(l -> l.split(","))
        .map(l -> URLDecoder.decode(l[1], StandardCharsets.UTF_8) + "@" + l[2])
        .sorted().toList());
    assertTrue(lines.stream().allMatch(l -> l.contains(",succeeded,200,,\"Replicated by rule all: Copied to s3://" + target)),
        lines::toString);
  }

  private String job(String manifest) {
    return """
        {"AccountId": "123456789012",
         "Operation": {"S3ReplicateObject": {}},
         "Manifest": %s,
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "reports", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(manifest, reports);
  }

  private JobRecord run(String spec) {
    JobStore store = store();
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(spec));
    return runner(store).run(job.jobId());
  }

  private JobStore store() {
    return HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
  }

  private JobRunner runner(JobStore store) {
    return new JobRunner(spark, store, RunSettings.defaults()
        .withClients(MOTO.clientSettings()).withPartitions(2));
  }

  private List<String> reportLines(JobRecord job) {
    return ReportLines.of(S3, reports, job);
  }

  private static List<ObjectVersion> versionsOldestFirst(String bucket, String key) {
    return reversed(S3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions()
        .stream().filter(v -> v.key().equals(key)).toList());
  }

  private static List<String> contentsNewestFirst(String bucket, String key) {
    return reversed(versionsOldestFirst(bucket, key)).stream().map(v -> content(bucket, v))
        .toList();
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  private static String content(String bucket, ObjectVersion v) {
    return S3.getObjectAsBytes(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()))
        .asUtf8String();
  }
}
