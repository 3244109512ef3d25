package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A job whose manifest is generated from a listing, run through JobRunner on moto_server. */
class GeneratedManifestJobTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static SparkSession spark;
  private static String source;
  private static String manifests;

  @TempDir Path storeDir;

  @BeforeAll
  static void bucketOfLogsAndData() {
    spark = LocalSpark.session();
    source = Buckets.create(S3, "generated-job");
    manifests = Buckets.create(S3, "generated-job-out");
    for (int i = 0; i < 40; i++) {
      String key = (i % 2 == 0 ? "logs/" : "data/") + "f" + i + (i % 3 == 0 ? ".gz" : ".txt");
      S3.putObject(b -> b.bucket(source).key(key), RequestBody.fromString("x".repeat(i)));
    }
  }

  private static String job(String where) {
    return """
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "picked", "Value": "yes"}]}},
         "ManifestGenerator": {"S3JobManifestGenerator": {
            "SourceBucket": "arn:aws:s3:::%s",
            "EnableManifestOutput": true,
            "ManifestOutputLocation": {"Bucket": "arn:aws:s3:::%s", "ManifestPrefix": "gen",
                "ManifestFormat": "S3InventoryReport_CSV_20211130"},
            "Filter": {"KeyNameConstraint": {"MatchAnyPrefix": ["logs/"],
                                              "MatchAnySuffix": [".txt"]},
                       "ObjectSizeGreaterThanBytes": 5}}},
         "ManifestFilter": {"Where": "%s"},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(source, manifests, where);
  }

  private static Set<String> tagged() {
    return S3.listObjectsV2Paginator(b -> b.bucket(source)).contents().stream()
        .map(S3Object::key)
        .filter(k -> S3.getObjectTagging(b -> b.bucket(source).key(k)).tagSet().stream()
            .anyMatch(t -> t.key().equals("picked")))
        .collect(Collectors.toSet());
  }

  /**
   * Numbering rows takes two passes over them (one counts each partition's rows); a bucket
   * listed once per pass, and written to in between, would give two objects one task id. Here
   * objects are added to a/ as soon as a/ would be listed a second time: the manifest still
   * numbers the objects of one listing, each once, 0 to n-1.
   */
  @Test
  void bucketWrittenToWhileItsManifestIsPreparedIsListedOnceAndNumberedOnce() throws Exception {
    String live = Buckets.create(S3, "generated-live");
    for (String prefix : List.of("a/", "b/", "c/")) {
      for (int i = 0; i < 10; i++) {
        Buckets.put(S3, live, prefix + "o" + i, "x");
      }
    }
    var generator = new io.github.s3batchspark.job.spec.S3JobManifestGenerator(null,
        "arn:aws:s3:::" + live, null, null, false);
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      java.util.function.Predicate<ForwardingS3Proxy.Request> listing = r ->
          r.method().equals("GET") && r.path().startsWith("/" + live)
              && r.query() != null && r.query().contains("list-type=2")
              && r.query().contains("prefix=a%2F");
      io.github.s3batchspark.manifest.GeneratedManifest.load(spark, generator,
          proxy.clientSettings()).count();
      long onePass = proxy.requests().stream().filter(listing).count();
      java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
      proxy.beforeFirst(r -> listing.test(r) && seen.incrementAndGet() > onePass, () -> {
        for (int i = 10; i < 15; i++) {
          Buckets.put(S3, live, "a/o" + i, "x");
        }
      });
      JobDirectory directory = new JobDirectory(storeDir.resolve("job").toUri().toString());

      PrepareManifest.Result prepared = new PrepareManifest(spark, proxy.clientSettings())
          .source(new io.github.s3batchspark.manifest.GeneratedManifestSource(generator), null)
          .into(directory).execute();

      var rows = spark.read().parquet(prepared.location());
      assertEquals(30, prepared.taskCount());
      assertEquals(30, rows.select("key").distinct().count());
      assertEquals(30, rows.select("task_id").distinct().count());
      assertEquals(29L, rows.agg(org.apache.spark.sql.functions.max("task_id")).first()
          .getLong(0));
      assertEquals(onePass, seen.get(), "a/ was listed as often as by one listing");
      assertTrue(!java.nio.file.Files.exists(storeDir.resolve("job/manifest.read")),
          "the rows as listed are deleted once numbered");
    }
  }

  @Test
  void whereNamingAColumnTheGeneratedManifestLacksIsRefusedAtCreateJob() {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);

    var e = assertThrows(JobSpecException.class, () -> JobRunner.create(store,
        JobSpecParser.parse(job("encryption_status = 'SSE-KMS'"))));

    assertTrue(e.getMessage().contains("encryption_status"), e.getMessage());
    assertEquals(List.of(), store.list().jobs());
    // the same column exists once the generator's filter asks for an encryption
    JobRunner.create(store, JobSpecParser.parse(job("encryption_status = 'SSE-KMS'").replace(
        "\"ObjectSizeGreaterThanBytes\": 5", "\"ObjectSizeGreaterThanBytes\": 5,"
        + " \"MatchAnyObjectEncryption\": [{\"SSEKMS\": {}}]")));
    assertEquals(1, store.list().jobs().size());
  }

  @Test
  void generatorJobTagsExactlyTheObjectsItsFiltersAndTheWhereSelect() {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord created = JobRunner.create(store, JobSpecParser.parse(job("size < 30")));

    JobRecord done = new JobRunner(spark, store, RunSettings.defaults()
        .withClients(SERVER.clientSettings()).withPartitions(2)).run(created.jobId());

    Set<String> expected = S3.listObjectsV2Paginator(b -> b.bucket(source)).contents().stream()
        .filter(o -> o.key().startsWith("logs/") && o.key().endsWith(".txt")
            && o.size() > 5 && o.size() < 30)
        .map(S3Object::key).collect(Collectors.toSet());
    assertEquals(JobStatus.COMPLETE, done.status(), String.valueOf(done.failureReasons()));
    assertEquals(expected.size(), done.progress().numberOfTasksSucceeded());
    assertEquals(expected, tagged());
    assertEquals(Set.of("logs/f8.txt", "logs/f10.txt", "logs/f14.txt", "logs/f16.txt",
        "logs/f20.txt", "logs/f22.txt", "logs/f26.txt", "logs/f28.txt"), expected);
    List<String> written = S3.listObjectsV2Paginator(b -> b.bucket(manifests)
        .prefix("gen/job-" + created.jobId() + "/")).contents().stream()
        .map(S3Object::key).toList();
    assertTrue(written.contains("gen/job-" + created.jobId() + "/manifest.json"),
        written.toString());
  }

  @Test
  void describeJobShowsTheGeneratedManifestWhereItWasWritten() {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord created = JobRunner.create(store, JobSpecParser.parse(job("size < 30")));
    assertTrue(created.toDescribeJobOutput().path("Job")
        .path("GeneratedManifestDescriptor").isMissingNode());

    new JobRunner(spark, store, RunSettings.defaults().withClients(SERVER.clientSettings())
        .withPartitions(2)).run(created.jobId());

    // read back from the store, as describe-job does in another process
    JsonNode descriptor = HadoopJobStore.open(storeDir.toString(), new Configuration(), null)
        .get(created.jobId()).toDescribeJobOutput().path("Job")
        .path("GeneratedManifestDescriptor");
    String key = "gen/job-" + created.jobId() + "/manifest.json";
    HeadObjectResponse manifest = S3.headObject(b -> b.bucket(manifests).key(key));
    assertEquals("S3InventoryReport_CSV_20211130", descriptor.path("Format").asText());
    assertEquals(List.of("ObjectArn", "ETag"), fieldNames(descriptor.path("Location")));
    assertEquals("arn:aws:s3:::" + manifests + "/" + key,
        descriptor.path("Location").path("ObjectArn").asText());
    assertEquals(manifest.eTag().replace("\"", ""),
        descriptor.path("Location").path("ETag").asText());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
