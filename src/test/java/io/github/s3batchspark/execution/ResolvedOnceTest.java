package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.services.s3.model.Tag;

class ResolvedOnceTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();

  private static S3EndpointParams params(String bucket, String key, String endpoint,
      boolean pathStyle) {
    return S3EndpointParams.builder().bucket(bucket).key(key).region(Region.EU_WEST_1)
        .endpoint(endpoint).forcePathStyle(pathStyle).useFips(false).useDualStack(false)
        .accelerate(false).build();
  }

  private static String describe(Endpoint e) {
    return e.url() + " " + e.headers() + " " + e.attribute(
        software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute.AUTH_SCHEMES);
  }

  @Test
  void answersAsTheRuleSetDoesForEveryBucketAndAddressingStyle() {
    S3EndpointProvider rules = S3EndpointProvider.defaultProvider();
    S3EndpointProvider cached = ResolvedOnce.endpoints(rules);
    for (S3EndpointParams p : List.of(
        params("photos", "a/b.jpg", null, false),
        params("photos", "a/b.jpg", null, true),
        params("other-bucket", "a/b.jpg", null, false),
        params("photos", "a/b.jpg", "http://127.0.0.1:9090", true),
        params("arn:aws:s3:eu-west-1:123456789012:accesspoint/ap", "k", null, false))) {
      // Twice: the second answer is the kept one.
      cached.resolveEndpoint(p).join();
      assertEquals(describe(rules.resolveEndpoint(p).join()),
          describe(cached.resolveEndpoint(p).join()), p.toString());
    }
  }

  @Test
  void consultsTheRulesOncePerBucketWhateverTheKey() {
    AtomicInteger consulted = new AtomicInteger();
    S3EndpointProvider rules = S3EndpointProvider.defaultProvider();
    S3EndpointProvider cached = ResolvedOnce.endpoints(p -> {
      consulted.incrementAndGet();
      return rules.resolveEndpoint(p);
    });
    for (int i = 0; i < 1_000; i++) {
      cached.resolveEndpoint(params("photos", "key-" + i, null, false)).join();
      cached.resolveEndpoint(params("videos", "key-" + i, null, false)).join();
    }

    assertEquals(2, consulted.get());
    assertNotEquals(cached.resolveEndpoint(params("photos", "k", null, false)).join().url(),
        cached.resolveEndpoint(params("videos", "k", null, false)).join().url());
  }

  @Test
  void keepsEachOperationsOwnAuthScheme() {
    S3AuthSchemeProvider rules = S3AuthSchemeProvider.defaultProvider();
    S3AuthSchemeProvider cached = ResolvedOnce.authSchemes(rules);
    for (String operation : List.of("PutObjectTagging", "WriteGetObjectResponse",
        "CreateSession", "GetObject")) {
      S3AuthSchemeParams p = S3AuthSchemeParams.builder().operation(operation).bucket("photos")
          .region(Region.EU_WEST_1).useFips(false).useDualStack(false).accelerate(false)
          .build();
      cached.resolveAuthScheme(p);
      assertEquals(rules.resolveAuthScheme(p).toString(), cached.resolveAuthScheme(p).toString(),
          operation);
    }
  }

  /** The client every executor uses signs and addresses through the kept answers. */
  @Test
  void executorClientsReachTheStoreThroughTheKeptAnswers() {
    S3Client direct = SERVER.client();
    String first = Buckets.create(direct, "resolved-a");
    String second = Buckets.create(direct, "resolved-b");
    S3AsyncClient s3 = ExecutorClients.get(SERVER.clientSettings()).s3();
    for (String bucket : List.of(first, second, first)) {
      direct.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString(bucket));
      s3.putObjectTagging(b -> b.bucket(bucket).key("k")
          .tagging(t -> t.tagSet(Tag.builder().key("bucket").value(bucket).build()))).join();
    }

    for (String bucket : List.of(first, second)) {
      assertEquals(bucket, direct.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet()
          .get(0).value());
    }
  }
}
