package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.InventoryFixture.Entry;
import io.github.s3batchspark.testing.InventoryFixture.Format;
import io.github.s3batchspark.testing.InventoryFixture.Report;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job whose inventory cannot be trusted fails with ManifestReadFailed in one line naming the
 * data file, leaves no manifest in the job store, and a later job on a good report runs.
 */
class InventoryManifestPreparationTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock(); // enforces If-Match
  private static final S3Client S3 = SERVER.client();
  private static SparkSession spark;
  private static String source;
  private static List<Entry> objects;

  @TempDir Path storeDir;

  /** What is wrong with the report's one data file. */
  enum Refusal { REPLACED_AFTER_THE_CHECK, TRUNCATED_GZIP, FEWER_VALUES_THAN_FILE_SCHEMA }

  @BeforeAll
  static void sourceObjects() {
    spark = LocalSpark.session();
    source = Buckets.create(S3, "prep-src");
    objects = List.of(object("a.txt"), object("b c.txt"));
  }

  private static Entry object(String key) {
    String etag = Buckets.put(S3, source, key, "content of " + key).replace("\"", "");
    return Entry.current(source, key, 11, etag, "STANDARD");
  }

  @ParameterizedTest
  @EnumSource(Refusal.class)
  void refusedInventoryFailsTheJobOnOneLineLeavesNoManifestAndALaterGoodJobRuns(Refusal why) {
    String destination = Buckets.create(S3, "prep-inv");
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      Report bad = badReport(why, destination, proxy);
      JobRunner runner = new JobRunner(spark, store, RunSettings.defaults()
          .withClients(proxy.clientSettings()).withPartitions(2));

      JobRecord failed = runner.run(JobRunner.create(store, job(bad)).jobId());

      assertEquals(JobStatus.FAILED, failed.status());
      assertEquals("ManifestReadFailed", failed.failureReasons().get(0).failureCode());
      String reason = failed.failureReasons().get(0).failureReason();
      assertTrue(reason.startsWith("Inventory data file s3://" + destination + "/"
          + bad.dataFileKeys().get(0) + " " + switch (why) {
            case REPLACED_AFTER_THE_CHECK -> "changed after its checksum was verified";
            case TRUNCATED_GZIP -> "is not a whole gzip file";
            case FEWER_VALUES_THAN_FILE_SCHEMA -> "line 1 has 2 values but fileSchema lists 6";
          }), reason);
      assertFalse(reason.contains("\n"), reason);
      assertEquals(List.of("record"), jobDirectory(store, failed));

      Report good = InventoryFixture.write(S3, spark, destination, Format.CSV, false, objects, 1);
      JobRecord done = runner.run(JobRunner.create(store, job(good)).jobId());

      assertEquals(JobStatus.COMPLETE, done.status());
      assertEquals(2, done.progress().numberOfTasksSucceeded());
    }
  }

  private Report badReport(Refusal why, String destination, ForwardingS3Proxy proxy) {
    return switch (why) {
      case REPLACED_AFTER_THE_CHECK -> {
        Report report = InventoryFixture.write(S3, spark, destination, Format.CSV, false,
            objects, 1);
        String file = report.dataFileKeys().get(0);
        proxy.beforeFirst(r -> r.method().equals("GET") && r.path().endsWith("/" + file)
                && r.hasHeader("If-Match"),
            () -> S3.putObject(b -> b.bucket(destination).key(file), RequestBody.fromBytes(
                InventoryFixture.gzip("\"" + source + "\",\"unchecked.txt\",\"1\","
                    + "\"2024-01-02T03:04:05.000Z\",\"e\",\"STANDARD\"\n"))));
        yield report;
      }
      case TRUNCATED_GZIP -> {
        byte[] whole = InventoryFixture.gzip(("\"" + source + "\",\"a.txt\",\"11\","
            + "\"2024-01-02T03:04:05.000Z\",\"e\",\"STANDARD\"\n").repeat(500));
        yield InventoryFixture.writeReport(S3, destination, source, Format.CSV,
            "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass",
            List.of(Arrays.copyOf(whole, whole.length - 20)));
      }
      case FEWER_VALUES_THAN_FILE_SCHEMA -> InventoryFixture.writeReport(S3, destination, source,
          Format.CSV, "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass",
          List.of(InventoryFixture.gzip("\"" + source + "\",\"a.txt\"\n")));
    };
  }

  private static JobSpec job(Report report) {
    return JobSpecParser.parse("""
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "k", "Value": "v"}]}},
         "Manifest": {"Spec": {"Format": "S3InventoryReport_CSV_20161130"},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/%s", "ETag": "%s"}},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(report.manifest().bucket(), report.manifest().key(),
        report.manifest().unquotedEtag()));
  }

  /** What the job directory holds: the record only, no manifest, whole or half-built. */
  private static List<String> jobDirectory(JobStore store, JobRecord job) {
    Path dir = Path.of(store.jobDirectory(job.jobId()).toUri());
    try (var entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith(".")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
