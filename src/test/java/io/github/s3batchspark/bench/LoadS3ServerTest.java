package io.github.s3batchspark.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;

/** The load server speaks enough S3 for the SDK, and injects exactly the faults it is told to. */
class LoadS3ServerTest {
  private static LoadS3Server server;
  private static ClientSettings settings;
  private static S3Client s3;
  private static ExecutorClients clients;

  @BeforeAll
  static void start() {
    BenchCredentials.install();
    server = LoadS3Server.start(1, LoadSettings.none());
    settings = ClientSettings.defaults().withCallerCredentials().withEndpoint(server.endpoint())
        .withRegion("us-east-1");
    s3 = ExecutorClients.syncClient(settings);
    clients = ExecutorClients.get(settings);
  }

  @AfterEach
  void calm() {
    server.settings(LoadSettings.none());
  }

  @AfterAll
  static void stop() {
    s3.close();
    clients.close();
    server.close();
  }

  @Test
  void virtualObjectsAnswerHeadAndTakeTags() {
    VirtualObjects range = server.seed("virtual", "data/", 4, 100, 1234);
    String key = range.key(42);
    var head = s3.headObject(b -> b.bucket("virtual").key(key));
    assertEquals(1234L, head.contentLength());
    assertEquals(range.etag(42), head.eTag());

    s3.putObjectTagging(b -> b.bucket("virtual").key(key)
        .tagging(t -> t.tagSet(Tag.builder().key("team").value("a&b <c>").build())));

    var tags = s3.getObjectTagging(b -> b.bucket("virtual").key(key)).tagSet();
    assertEquals(List.of(Tag.builder().key("team").value("a&b <c>").build()), tags);
    assertEquals(1, range.tagWrites(42));
    assertEquals(0, range.tagWrites(41));
    assertEquals(404, assertThrows(S3Exception.class, () -> s3.putObjectTagging(b -> b
        .bucket("virtual").key("data/p0001/9999999999").tagging(t -> t.tagSet(List.of()))))
        .statusCode());
  }

  @Test
  void storedObjectsReadBackWholeAndByRange() {
    s3.createBucket(b -> b.bucket("stored"));
    s3.putObject(b -> b.bucket("stored").key("a b+c/ü.txt"), RequestBody.fromString("hello load"));

    ResponseBytes<GetObjectResponse> whole = s3.getObject(b -> b.bucket("stored")
        .key("a b+c/ü.txt"), ResponseTransformer.toBytes());
    ResponseBytes<GetObjectResponse> part = s3.getObject(b -> b.bucket("stored")
        .key("a b+c/ü.txt").range("bytes=6-9"), ResponseTransformer.toBytes());

    assertEquals("hello load", whole.asUtf8String());
    assertEquals("load", part.asUtf8String());
    var listed = s3.listObjectsV2(b -> b.bucket("stored").prefix("a b")).contents();
    assertEquals("a b+c/ü.txt", listed.get(0).key());
  }

  /** The listing bench's splitter relies on it: each rolled-up prefix once, across pages. */
  @Test
  void delimitedListingRollsEachPrefixUpOnceAcrossPages() {
    s3.createBucket(b -> b.bucket("delimited"));
    for (String key : List.of("a/1", "a/2", "a/3", "b/1", "c", "d/x/y", "e/1")) {
      s3.putObject(b -> b.bucket("delimited").key(key), RequestBody.fromString(key));
    }
    List<String> prefixes = new ArrayList<>();
    List<String> keys = new ArrayList<>();

    s3.listObjectsV2Paginator(b -> b.bucket("delimited").delimiter("/").maxKeys(2))
        .forEach(page -> {
          page.commonPrefixes().forEach(p -> prefixes.add(p.prefix()));
          page.contents().forEach(o -> keys.add(o.key()));
        });

    assertEquals(List.of("a/", "b/", "d/", "e/"), prefixes);
    assertEquals(List.of("c"), keys);
  }

  @Test
  void copyHonoursTheSourceEtagCondition() {
    VirtualObjects range = server.seed("copy-src", "small/", 2, 10, 4096);
    s3.createBucket(b -> b.bucket("copy-dst"));

    s3.copyObject(b -> b.sourceBucket("copy-src").sourceKey(range.key(1))
        .destinationBucket("copy-dst").destinationKey("one").copySourceIfMatch(range.etag(1)));
    S3Exception refused = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b
        .sourceBucket("copy-src").sourceKey(range.key(2)).destinationBucket("copy-dst")
        .destinationKey("two").copySourceIfMatch("\"not-the-etag\"")));

    assertEquals(412, refused.statusCode());
    assertArrayEquals(digest(get("copy-src", range.key(1))), digest(get("copy-dst", "one")));
    assertEquals(404, assertThrows(S3Exception.class,
        () -> s3.headObject(b -> b.bucket("copy-dst").key("two"))).statusCode());
  }

  @Test
  void largeObjectIsCopiedInPartsWithTheSameBytes() {
    VirtualObjects range = server.seed("big-src", "big/", 1, 2, 21L * 1024 * 1024 + 7);
    s3.createBucket(b -> b.bucket("big-dst"));
    long partCopiesBefore = server.stats().get("action.UploadPartCopy");

    // The SDK's multipart copy, as the bare client of the copy-large workload uses it.
    try (S3AsyncClient inParts = S3AsyncClient.builder()
        .endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
        .region(Region.US_EAST_1).multipartEnabled(true)
        .multipartConfiguration(MultipartConfiguration.builder()
            .thresholdInBytes(8L * 1024 * 1024).minimumPartSizeInBytes(5L * 1024 * 1024).build())
        .build()) {
      inParts.copyObject(b -> b.sourceBucket("big-src").sourceKey(range.key(0))
          .destinationBucket("big-dst").destinationKey("copy")).join();
    }

    assertTrue(server.stats().get("action.UploadPartCopy") - partCopiesBefore >= 3);
    assertTrue(s3.headObject(b -> b.bucket("big-dst").key("copy")).eTag().endsWith("-5\""));
    byte[] source = digestOfStream("big-src", range.key(0));
    assertArrayEquals(source, digestOfStream("big-dst", "copy"));
  }

  @Test
  void injectedFaultsAreExactlyTheErrorsClientsSee() {
    VirtualObjects range = server.seed("faults", "f/", 8, 400, 10);
    server.settings(LoadSettings.none().withFaults(0.3, 0.1, 0.05)
        .withFaultedOperations(Set.of("PutObjectTagging")));
    long before503 = server.stats().get("fault.SlowDown");
    long before500 = server.stats().get("fault.InternalError");
    long beforeResets = server.stats().get("fault.reset");

    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < range.count(); i++) {
      String key = range.key(i);
      outcomes.add(clients.s3().putObjectTagging(b -> b.bucket("faults").key(key)
              .tagging(t -> t.tagSet(List.of())))
          .handle((r, e) -> e == null ? "ok" : e.getCause() instanceof S3Exception s
              ? String.valueOf(s.statusCode()) : "reset"));
    }
    List<String> seen = outcomes.stream().map(CompletableFuture::join).toList();

    assertEquals(server.stats().get("fault.SlowDown") - before503,
        seen.stream().filter("503"::equals).count());
    assertEquals(server.stats().get("fault.InternalError") - before500,
        seen.stream().filter("500"::equals).count());
    assertEquals(server.stats().get("fault.reset") - beforeResets,
        seen.stream().filter("reset"::equals).count());
    long ok = seen.stream().filter("ok"::equals).count();
    long tagged = 0;
    for (int i = 0; i < range.count(); i++) {
      tagged += range.tagWrites(i);
    }
    assertEquals(ok, tagged, "a refused or reset request must change nothing");
    assertTrue(ok > 0 && ok < range.count());
  }

  @Test
  void requestsPastThePrefixRateAreRefusedWithSlowDown() {
    VirtualObjects range = server.seed("limited", "l/", 1, 50, 10);
    // 3,500 writes/s scaled to 0.35/s: a budget of one request, refilled every ~3 seconds.
    server.settings(LoadSettings.none().withRateLimit(0.0001));
    long before = server.stats().get("throttled");

    List<CompletableFuture<Integer>> outcomes = new ArrayList<>();
    for (int i = 0; i < range.count(); i++) {
      String key = range.key(i);
      outcomes.add(clients.s3().putObjectTagging(b -> b.bucket("limited").key(key)
              .tagging(t -> t.tagSet(List.of())))
          .handle((r, e) -> e == null ? 200 : ((S3Exception) e.getCause()).statusCode()));
    }
    List<Integer> statuses = outcomes.stream().map(CompletableFuture::join).toList();

    long refused = statuses.stream().filter(s -> s == 503).count();
    assertTrue(refused > 0, statuses::toString);
    assertEquals(refused, server.stats().get("throttled") - before);
    assertEquals(range.count() - refused, statuses.stream().filter(s -> s == 200).count());
  }

  @Test
  void connectionResetReachesTheClientAsAnIoFailure() {
    VirtualObjects range = server.seed("resets", "r/", 1, 1, 10);
    server.settings(LoadSettings.none().withFaults(0, 0, 1.0)
        .withFaultedOperations(Set.of("HeadObject")));
    var failure = assertThrows(Exception.class,
        () -> clients.s3().headObject(b -> b.bucket("resets").key(range.key(0))).join());
    assertTrue(!(failure.getCause() instanceof S3Exception), failure::toString);
  }

  private byte[] get(String bucket, String key) {
    return s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes())
        .asByteArray();
  }

  private byte[] digestOfStream(String bucket, String key) {
    S3AsyncClient async = clients.s3();
    return digest(async.getObject(b -> b.bucket(bucket).key(key),
        AsyncResponseTransformer.toBytes()).join().asByteArray());
  }

  private static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
