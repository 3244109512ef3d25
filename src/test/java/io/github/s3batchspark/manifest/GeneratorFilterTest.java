package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.spec.DSSEKMSFilter;
import io.github.s3batchspark.job.spec.JobManifestGeneratorFilter;
import io.github.s3batchspark.job.spec.KeyNameConstraint;
import io.github.s3batchspark.job.spec.NotSSEFilter;
import io.github.s3batchspark.job.spec.ObjectEncryptionFilter;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import io.github.s3batchspark.job.spec.SSECFilter;
import io.github.s3batchspark.job.spec.SSEKMSFilter;
import io.github.s3batchspark.job.spec.SSES3Filter;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Every JobManifestGeneratorFilter member selects exactly the objects it should, checked against
 * a listing done here, on moto_server.
 */
class GeneratorFilterTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final String KEY_A = "arn:aws:kms:us-east-1:123456789012:key/aaaa";
  private static final String KEY_B = "arn:aws:kms:us-east-1:123456789012:key/bbbb";
  private static SparkSession spark;
  private static String bucket;
  private static Instant between;

  @BeforeAll
  static void objectsOfEverySortAndTwoAges() throws InterruptedException {
    spark = LocalSpark.session();
    bucket = Buckets.create(S3, "generator-filter");
    put("old/small.txt", 10, StorageClass.STANDARD);
    put("old/large.log", 5000, StorageClass.STANDARD_IA);
    put("old/data.csv", 300, StorageClass.GLACIER);
    Thread.sleep(1500);
    between = Instant.now();
    Thread.sleep(1500);
    put("new/report.csv", 120, StorageClass.STANDARD);
    put("new/archive.log", 7000, StorageClass.DEEP_ARCHIVE);
    put("new/deep/notes.txt", 42, StorageClass.ONEZONE_IA);
    put("top.csv", 1, StorageClass.STANDARD);
  }

  private static void put(String key, int size, StorageClass storageClass) {
    S3.putObject(b -> b.bucket(bucket).key(key).storageClass(storageClass),
        RequestBody.fromString("x".repeat(size)));
  }

  private static Set<String> generated(String source, JobManifestGeneratorFilter filter,
      ClientSettings settings) {
    return GeneratedManifest.load(spark, new S3JobManifestGenerator(null, "arn:aws:s3:::"
            + source, null, filter, false), settings,
            ListingOptions.defaults(2).withPageSize(2))
        .select("key").collectAsList().stream().map(r -> r.getString(0))
        .collect(Collectors.toSet());
  }

  private static Set<String> listedWhere(String source, Predicate<S3Object> selected) {
    return S3.listObjectsV2Paginator(b -> b.bucket(source)).contents().stream()
        .filter(selected).map(S3Object::key).collect(Collectors.toSet());
  }

  @Test
  void createdAfterAndBeforeSelectByLastModified() {
    JobManifestGeneratorFilter after = new JobManifestGeneratorFilter(null, between, null, null,
        null, null, null, null, null);
    JobManifestGeneratorFilter before = new JobManifestGeneratorFilter(null, null, between, null,
        null, null, null, null, null);

    Set<String> newer = generated(bucket, after, SERVER.clientSettings());
    Set<String> older = generated(bucket, before, SERVER.clientSettings());

    assertEquals(listedWhere(bucket, o -> o.lastModified().isAfter(between)), newer);
    assertEquals(listedWhere(bucket, o -> o.lastModified().isBefore(between)), older);
    assertEquals(Set.of("old/small.txt", "old/large.log", "old/data.csv"), older);
  }

  @Test
  void keyNameConstraintNeedsAMatchInEveryListGiven() {
    KeyNameConstraint names = new KeyNameConstraint(List.of("old/", "new/"),
        List.of(".csv", ".txt"), List.of("a", "e"));
    JobManifestGeneratorFilter keys = new JobManifestGeneratorFilter(null, null, null, null,
        names, null, null, null, null);

    Set<String> selected = generated(bucket, keys, SERVER.clientSettings());

    assertEquals(listedWhere(bucket, o -> (o.key().startsWith("old/") || o.key().startsWith("new/"))
        && (o.key().endsWith(".csv") || o.key().endsWith(".txt"))
        && (o.key().contains("a") || o.key().contains("e"))), selected);
    assertEquals(Set.of("old/small.txt", "old/data.csv", "new/report.csv", "new/deep/notes.txt"),
        selected);
  }

  @Test
  void sizeBoundsAreStrictAndStorageClassesAreAnyOf() {
    JobManifestGeneratorFilter sizes = new JobManifestGeneratorFilter(null, null, null, null,
        null, 42L, 5000L, null, null);
    JobManifestGeneratorFilter classes = new JobManifestGeneratorFilter(null, null, null, null,
        null, null, null, List.of("GLACIER", "DEEP_ARCHIVE", "ONEZONE_IA"), null);

    Set<String> bySize = generated(bucket, sizes, SERVER.clientSettings());
    Set<String> byClass = generated(bucket, classes, SERVER.clientSettings());

    assertEquals(listedWhere(bucket, o -> o.size() > 42 && o.size() < 5000), bySize);
    assertEquals(Set.of("old/data.csv", "new/report.csv"), bySize);
    assertEquals(listedWhere(bucket, o -> Set.of("GLACIER", "DEEP_ARCHIVE", "ONEZONE_IA")
        .contains(o.storageClassAsString())), byClass);
    assertEquals(3, byClass.size());
  }

  /**
   * Encryption needs a HEAD per object, sent only for objects that passed the listing's members;
   * an SSE-C object answers a HEAD without its key with 400 (moto does not, the proxy plays S3).
   */
  @Test
  void matchAnyObjectEncryptionHeadsOnlyTheListingsCandidates() {
    String encrypted = Buckets.create(S3, "generator-sse");
    S3.putObject(b -> b.bucket(encrypted).key("e/plain"), RequestBody.fromString("x"));
    S3.putObject(b -> b.bucket(encrypted).key("e/sse-s3")
        .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromString("x"));
    S3.putObject(b -> b.bucket(encrypted).key("e/kms-a-bucket-key")
        .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(KEY_A)
        .bucketKeyEnabled(true), RequestBody.fromString("x"));
    S3.putObject(b -> b.bucket(encrypted).key("e/kms-b")
        .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(KEY_B),
        RequestBody.fromString("x"));
    S3.putObject(b -> b.bucket(encrypted).key("e/dsse")
        .serverSideEncryption(ServerSideEncryption.AWS_KMS_DSSE).ssekmsKeyId(KEY_A),
        RequestBody.fromString("x"));
    S3.putObject(b -> b.bucket(encrypted).key("e/sse-c"), RequestBody.fromString("x"));
    S3.putObject(b -> b.bucket(encrypted).key("skipped/sse-s3")
        .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromString("x"));
    KeyNameConstraint underE = new KeyNameConstraint(List.of("e/"), null, null);

    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      proxy.refuseFirst(r -> r.method().equals("HEAD") && r.path().endsWith("/e/sse-c"), 400,
          "BadRequest");
      Set<String> kmsA = generated(encrypted, new JobManifestGeneratorFilter(null, null, null,
          null, underE, null, null, null, List.of(new ObjectEncryptionFilter(null,
              new SSEKMSFilter(KEY_A, true), null, null, null))), proxy.clientSettings());
      long heads = proxy.requests().stream().filter(r -> r.method().equals("HEAD")).count();
      Set<String> s3OrNone = generated(encrypted, new JobManifestGeneratorFilter(null, null,
          null, null, underE, null, null, null, List.of(
              new ObjectEncryptionFilter(new SSES3Filter(), null, null, null, null),
              new ObjectEncryptionFilter(null, null, null, null, new NotSSEFilter()))),
          SERVER.clientSettings());
      Set<String> anyKms = generated(encrypted, new JobManifestGeneratorFilter(null, null, null,
          null, underE, null, null, null, List.of(new ObjectEncryptionFilter(null,
              new SSEKMSFilter(null, null), null, null, null),
              new ObjectEncryptionFilter(null, null, new DSSEKMSFilter(null), null, null))),
          SERVER.clientSettings());
      proxy.refuseFirst(r -> r.method().equals("HEAD") && r.path().endsWith("/e/sse-c"), 400,
          "BadRequest");
      Set<String> customerKey = generated(encrypted, new JobManifestGeneratorFilter(null, null,
          null, null, underE, null, null, null, List.of(new ObjectEncryptionFilter(null, null,
              null, new SSECFilter(), null))), proxy.clientSettings());

      assertEquals(Set.of("e/kms-a-bucket-key"), kmsA);
      assertEquals(6, heads, "one HEAD per object under e/, none for skipped/");
      assertEquals(Set.of("e/plain", "e/sse-s3", "e/sse-c"), s3OrNone,
          "moto answers an SSE-C object's HEAD as unencrypted");
      assertEquals(Set.of("e/kms-a-bucket-key", "e/kms-b", "e/dsse"), anyKms);
      assertEquals(Set.of("e/sse-c"), customerKey);
    }
  }

  /**
   * EligibleForReplication follows the bucket's enabled rules (a prefix rule, a prefix-and-tag
   * rule; a disabled rule selects nothing); ObjectReplicationStatuses reads each object's status,
   * NONE when it has none. moto drops a rule's filter and gives no status: the proxy answers the
   * configuration and the statuses as S3 would.
   */
  @Test
  void replicationFiltersFollowTheBucketsRulesAndEachObjectsStatus() {
    String source = Buckets.create(S3, "generator-repl");
    for (String key : List.of("logs/1", "logs/2", "data/red", "data/blue", "tmp/x", "other")) {
      S3.putObject(b -> b.bucket(source).key(key).tagging(key.endsWith("red") ? "team=red"
          : "team=blue"), RequestBody.fromString("x"));
    }
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      proxy.answerBody(r -> r.method().equals("GET") && "replication".equals(r.query()),
          REPLICATION_RULES);
      // GetBucketReplication of a bucket moto has no configuration for: 404, body replaced
      proxy.answerStatus(r -> r.method().equals("GET") && "replication".equals(r.query()), 200);
      proxy.answerHeader(r -> r.method().equals("HEAD") && r.path().endsWith("/logs/1"),
          "x-amz-replication-status", "COMPLETED");
      proxy.answerHeader(r -> r.method().equals("HEAD") && r.path().endsWith("/logs/2"),
          "x-amz-replication-status", "FAILED");
      proxy.answerHeader(r -> r.method().equals("HEAD") && r.path().endsWith("/data/red"),
          "x-amz-replication-status", "PENDING");
      proxy.answerHeader(r -> r.method().equals("HEAD") && r.path().endsWith("/other"),
          "x-amz-replication-status", "REPLICA");

      Set<String> eligible = generated(source, new JobManifestGeneratorFilter(true, null, null,
          null, null, null, null, null, null), proxy.clientSettings());
      Set<String> none = generated(source, new JobManifestGeneratorFilter(null, null, null,
          List.of("NONE"), null, null, null, null, null), proxy.clientSettings());
      Set<String> doneOrReplica = generated(source, new JobManifestGeneratorFilter(null, null,
          null, List.of("COMPLETED", "REPLICA"), null, null, null, null, null),
          proxy.clientSettings());
      Set<String> failedAndEligible = generated(source, new JobManifestGeneratorFilter(true,
          null, null, List.of("FAILED", "NONE"), null, null, null, null, null),
          proxy.clientSettings());

      assertEquals(Set.of("logs/1", "logs/2", "data/red"), eligible);
      assertEquals(Set.of("data/blue", "tmp/x"), none);
      assertEquals(Set.of("logs/1", "other"), doneOrReplica);
      assertEquals(Set.of("logs/2"), failedAndEligible);
    }
  }

  private static final String REPLICATION_RULES = """
      <?xml version="1.0" encoding="UTF-8"?>
      <ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Role>arn:aws:iam::123456789012:role/replication</Role>
        <Rule><ID>logs</ID><Priority>1</Priority><Status>Enabled</Status>
          <Filter><Prefix>logs/</Prefix></Filter>
          <Destination><Bucket>arn:aws:s3:::elsewhere</Bucket></Destination></Rule>
        <Rule><ID>red-data</ID><Priority>2</Priority><Status>Enabled</Status>
          <Filter><And><Prefix>data/</Prefix><Tag><Key>team</Key><Value>red</Value></Tag></And>
          </Filter><Destination><Bucket>arn:aws:s3:::elsewhere</Bucket></Destination></Rule>
        <Rule><ID>off</ID><Priority>3</Priority><Status>Disabled</Status>
          <Filter><Prefix>tmp/</Prefix></Filter>
          <Destination><Bucket>arn:aws:s3:::elsewhere</Bucket></Destination></Rule>
      </ReplicationConfiguration>
      """;

  @Test
  void eligibleForReplicationOnABucketWithoutReplicationIsRefusedNamingTheField() {
    var e = assertThrows(ManifestException.class, () -> generated(bucket,
        new JobManifestGeneratorFilter(true, null, null, null, null, null, null, null, null),
        SERVER.clientSettings()));
    assertTrue(e.getMessage().startsWith("ManifestGenerator.S3JobManifestGenerator.Filter."
        + "EligibleForReplication is true but the replication configuration of bucket "
        + bucket + " does not exist"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }

  @Test
  void unknownStorageClassIsRefusedNamingTheMemberAndTheValidValues() {
    var e = assertThrows(ManifestException.class, () -> generated(bucket,
        new JobManifestGeneratorFilter(null, null, null, null, null, null, null,
            List.of("STANDARD", "COLD"), null), SERVER.clientSettings()));
    assertEquals("ManifestGenerator.S3JobManifestGenerator.Filter.MatchAnyStorageClass has"
        + " 'COLD': use one of [DEEP_ARCHIVE, GLACIER, GLACIER_IR, INTELLIGENT_TIERING,"
        + " ONEZONE_IA, STANDARD, STANDARD_IA]", e.getMessage());
  }
}
