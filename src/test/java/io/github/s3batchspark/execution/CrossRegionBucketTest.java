package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.ForwardingS3Proxy.Request;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job's buckets need not be in the region the job runs in: the executors' and the driver's S3
 * clients learn a bucket's region from S3's 301 answer and sign for it. The proxy plays S3's part
 * ({@link ForwardingS3Proxy#bucketRegion}): a request signed for another region than the
 * bucket's is answered 301 with {@code x-amz-bucket-region}, as S3 answers it.
 */
class CrossRegionBucketTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static ForwardingS3Proxy proxy;
  private static String bucket;

  @BeforeAll
  static void bucketInAnotherRegion() {
    bucket = Buckets.create(SERVER.client(), "elsewhere");
    Buckets.put(SERVER.client(), bucket, "a.txt", "content");
    proxy = new ForwardingS3Proxy(SERVER);
    proxy.bucketRegion(bucket, "eu-west-1");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void executorsTagAnObjectInABucketOfAnotherRegionSignedForThatRegion() {
    ClientSettings settings = proxy.clientSettings().withRegion("us-east-1");
    ExecutorClients clients = ExecutorClients.get(settings);

    clients.s3().putObjectTagging(b -> b.bucket(bucket).key("a.txt")
        .tagging(t -> t.tagSet(s -> s.key("k").value("v")))).join();

    List<Request> tagging = proxy.requests().stream()
        .filter(r -> r.method().equals("PUT") && r.query() != null
            && r.query().contains("tagging")).toList();
    assertEquals("eu-west-1", ForwardingS3Proxy.signingRegion(tagging.get(tagging.size() - 1)));
    assertEquals("v", SERVER.client().getObjectTagging(b -> b.bucket(bucket).key("a.txt"))
        .tagSet().get(0).value());
  }

  @Test
  void executorsRememberTheBucketsRegionAndSendTheNextRequestStraightThere() {
    ExecutorClients clients = ExecutorClients.get(proxy.clientSettings().withRegion("us-west-2"));
    clients.s3().putObjectTagging(b -> b.bucket(bucket).key("a.txt")
        .tagging(t -> t.tagSet(s -> s.key("k").value("first")))).join();
    int before = proxy.requests().size();

    clients.s3().putObjectTagging(b -> b.bucket(bucket).key("a.txt")
        .tagging(t -> t.tagSet(s -> s.key("k").value("second")))).join();

    List<Request> after = proxy.requests().subList(before, proxy.requests().size());
    assertEquals(1, after.size(), "one request, not a redirect and a resend: " + after);
    assertEquals("eu-west-1", ForwardingS3Proxy.signingRegion(after.get(0)));
    assertEquals("second", SERVER.client().getObjectTagging(b -> b.bucket(bucket).key("a.txt"))
        .tagSet().get(0).value());
  }

  @Test
  void driverReadsAnObjectInABucketOfAnotherRegion() {
    ClientSettings settings = proxy.clientSettings().withRegion("us-west-2");
    try (S3Client s3 = ExecutorClients.syncClient(settings)) {
      assertEquals("content", s3.getObjectAsBytes(b -> b.bucket(bucket).key("a.txt"))
          .asUtf8String());
    }
    assertTrue(proxy.requests().stream().anyMatch(r -> r.method().equals("GET")
        && "eu-west-1".equals(ForwardingS3Proxy.signingRegion(r))));
  }
}
