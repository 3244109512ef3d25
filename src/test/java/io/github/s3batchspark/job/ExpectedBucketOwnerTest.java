package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code Report.ExpectedBucketOwner} is sent as {@code x-amz-expected-bucket-owner} with every
 * request to the report bucket, and a bucket of another owner refuses the job as S3 does (403
 * AccessDenied). Neither moto nor S3Mock checks the header, so the proxy in front of moto plays
 * S3's part ({@link ForwardingS3Proxy#bucketOwner}).
 */
class ExpectedBucketOwnerTest {
  private static final String OWNER = "111122223333";
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static S3Client s3;
  private static String bucket;
  private static String manifestEtag;

  @TempDir Path storeDir;

  @BeforeAll
  static void objectsAndManifest() {
    s3 = SERVER.client();
    bucket = Buckets.create(s3, "owner");
    List.of("a.txt", "b.txt").forEach(k -> Buckets.put(s3, bucket, k, "content of " + k));
    manifestEtag = Buckets.put(s3, bucket, "manifest.csv",
        bucket + ",a.txt\n" + bucket + ",b.txt\n").replace("\"", "");
  }

  @Test
  void everyReportRequestCarriesTheExpectedBucketOwner() {
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      proxy.bucketOwner(bucket, OWNER);
      JobRecord done = run(proxy, OWNER, "owned");

      assertEquals(JobStatus.COMPLETE, done.status(), () -> done.failureReasons().toString());
      List<ForwardingS3Proxy.Request> report = proxy.requests().stream()
          .filter(r -> r.method().equals("HEAD") && r.query() == null
              && r.path().equals("/" + bucket) || r.path().contains("/owned/")).toList();
      assertTrue(report.stream().anyMatch(r -> r.method().equals("HEAD")), "bucket check");
      assertTrue(report.stream().anyMatch(r -> r.path().endsWith("manifest.json")), "manifest");
      assertTrue(report.stream().anyMatch(r -> r.path().endsWith(".csv")), "results");
      for (ForwardingS3Proxy.Request r : report) {
        assertEquals(OWNER, r.header("x-amz-expected-bucket-owner"), r.method() + " " + r.path());
      }
    }
  }

  @Test
  void reportBucketOfAnotherOwnerFailsTheJobBeforeAnyTaskWithAccessDenied() {
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      proxy.bucketOwner(bucket, OWNER);
      JobRecord done = run(proxy, "444455556666", "not-owned");

      assertEquals(JobStatus.FAILED, done.status());
      assertEquals(0, done.progress().totalNumberOfTasks());
      JobFailure failure = done.failureReasons().get(0);
      assertEquals("InvalidReport", failure.failureCode());
      assertTrue(failure.failureReason().contains("403 AccessDenied")
          && failure.failureReason().contains("ExpectedBucketOwner is 444455556666"),
          failure.failureReason());
      assertTrue(proxy.requests().stream().noneMatch(r -> r.path().endsWith("/manifest.csv")),
          "the manifest was not read");
    }
  }

  private JobRecord run(ForwardingS3Proxy proxy, String expectedOwner, String prefix) {
    String json = CsvJobJson.of("{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"k\", "
            + "\"Value\": \"v\"}]}}", bucket, manifestEtag, prefix)
        .replace("\"ReportScope\": \"AllTasks\"}",
            "\"ReportScope\": \"AllTasks\", \"ExpectedBucketOwner\": \"" + expectedOwner + "\"}");
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(json));
    return new JobRunner(LocalSpark.session(), store, RunSettings.defaults()
        .withClients(proxy.clientSettings()).withPartitions(2)).run(job.jobId());
  }
}
