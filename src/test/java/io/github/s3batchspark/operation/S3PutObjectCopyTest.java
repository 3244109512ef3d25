package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.run;
import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3Grant;
import io.github.s3batchspark.job.spec.S3Grantee;
import io.github.s3batchspark.job.spec.S3ObjectMetadata;
import io.github.s3batchspark.job.spec.S3Tag;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CopySpec;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.utils.DateUtils;

/**
 * S3PutObjectCopy through the real runner, each field read back from the copy.
 *
 * <p>Two servers, each for what it implements: S3Mock honours {@code x-amz-copy-source-if-match}
 * and the copy-source time conditions (moto ignores them), so the guard and the
 * (Un)ModifiedSince constraints are tested there; moto implements versioning, Object Lock, ACL
 * grants, SSE-KMS, storage classes, website redirects and checksums on copy, so those are tested
 * there.
 */
class S3PutObjectCopyTest {
  private static final Instant LONG_AGO = Instant.parse("2001-01-01T00:00:00Z");

  private final LocalS3Server s3mock = LocalS3Server.s3mock();
  private final S3Client mockS3 = s3mock.client();
  private final ExecutorClients mockClients = ExecutorClients.get(s3mock.clientSettings());
  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client motoS3 = moto.client();
  private final ExecutorClients motoClients = ExecutorClients.get(moto.clientSettings());

  // -- the guard and the copy-source conditions: S3Mock --------------------------------------

  @Test
  void copyOfChangedObjectIsRefusedByEtagGuardAndNothingIsWritten() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    String oldEtag = Buckets.put(mockS3, source, "doc", "first");
    Buckets.put(mockS3, source, "doc", "second, after the inventory");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()), mockClients,
        new ObjectTask(1, source, "doc", null, oldEtag));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertEquals(1, r.attempts());
    assertTrue(mockS3.listObjectsV2(b -> b.bucket(target)).contents().isEmpty());
  }

  @Test
  void copyOfUnchangedObjectPassesTheEtagGuard() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    String etag = Buckets.put(mockS3, source, "doc", "as in the inventory");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()), mockClients,
        new ObjectTask(1, source, "doc", null, etag.replace("\"", "")));

    assertTrue(r.succeeded(), r::toString);
    assertEquals("as in the inventory", read(mockS3, target, "doc"));
  }

  /** Millions of objects: a copy under the 5 GiB threshold is one CopyObject, with no HEAD. */
  @Test
  void guardedCopyOfASmallObjectIsOneRequest() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    String etag = Buckets.put(mockS3, source, "doc", "small");

    List<ForwardingS3Proxy.Request> sent;
    TaskResult r;
    try (var proxy = new ForwardingS3Proxy(s3mock)) {
      r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()),
          ExecutorClients.get(proxy.clientSettings()), new ObjectTask(1, source, "doc", null, etag));
      sent = proxy.requests();
    }

    assertTrue(r.succeeded(), r::toString);
    assertEquals(1, sent.size(), sent::toString);
    assertEquals("PUT", sent.get(0).method());
    assertEquals(etag, sent.get(0).header("x-amz-copy-source-if-match"));
  }

  @Test
  void unModifiedSinceConstraintRefusesAnObjectModifiedLater() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    Buckets.put(mockS3, source, "doc", "written after the constraint");

    TaskResult r = runOne(
        new S3PutObjectCopy(CopySpec.to(target).unmodifiedSince(LONG_AGO).build()),
        mockClients, new ObjectTask(1, source, "doc", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals(412, r.httpStatusCode());
    assertTrue(mockS3.listObjectsV2(b -> b.bucket(target)).contents().isEmpty());
  }

  @Test
  void modifiedSinceConstraintCopiesAnObjectModifiedLaterAndRefusesAnOlderOne() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    Buckets.put(mockS3, source, "doc", "recent");
    Instant future = Instant.now().plus(1, ChronoUnit.DAYS);

    TaskResult copied = runOne(
        new S3PutObjectCopy(CopySpec.to(target).modifiedSince(LONG_AGO).build()),
        mockClients, new ObjectTask(1, source, "doc", null, null));
    TaskResult refused = runOne(
        new S3PutObjectCopy(CopySpec.to(target).prefix("later/").modifiedSince(future).build()),
        mockClients, new ObjectTask(2, source, "doc", null, null));

    assertTrue(copied.succeeded(), copied::toString);
    assertEquals(TaskResult.FAILED, refused.taskStatus(), refused::toString);
    assertEquals(1, refused.attempts(), refused::toString);
    assertEquals(412, refused.httpStatusCode(), refused::toString);
    assertTrue(mockS3.listObjectsV2(b -> b.bucket(target).prefix("later/")).contents().isEmpty());
  }

  @Test
  void keysWithSpacesPlusPercentAndUnicodeAreCopiedExactly() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    List<String> keys = List.of("a b/c d.txt", "1+1=2", "100%/x%20y", "été/日本語 ✓.csv",
        "tilde~and&amp?q=1");
    List<ObjectTask> tasks = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String etag = Buckets.put(mockS3, source, keys.get(i), "body of " + keys.get(i));
      tasks.add(new ObjectTask(i, source, keys.get(i), null, etag));
    }

    List<TaskResult> results = run(
        new S3PutObjectCopy(CopySpec.to(target).prefix("copied/ ").build()), mockClients,
        tasks.toArray(ObjectTask[]::new));

    assertTrue(results.stream().allMatch(TaskResult::succeeded), results::toString);
    for (String key : keys) {
      assertEquals("body of " + key, read(mockS3, target, "copied/ " + key));
    }
  }

  // -- the new object's settings: moto ----------------------------------------------------------

  @Test
  void copiesToAnotherBucketUnderTheTargetKeyPrefix() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    Buckets.put(motoS3, source, "reports/2024.csv", "a,b\n1,2\n");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).prefix("archive/").build()),
        motoClients, new ObjectTask(1, source, "reports/2024.csv", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals(200, r.httpStatusCode());
    assertEquals("a,b\n1,2\n", read(motoS3, target, "archive/reports/2024.csv"));
    assertTrue(r.resultMessage().contains("s3://" + target + "/archive/reports/2024.csv"),
        r.resultMessage());
    assertEquals("a,b\n1,2\n", read(motoS3, source, "reports/2024.csv"));
  }

  @Test
  void metadataDirectiveCopyKeepsTheSourceMetadataAndTags() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    putWithMetadataAndTags(motoS3, source, "doc");
    S3ObjectMetadata ignoredUnderCopy = metadata("application/json", Map.of("owner", "other"));

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).metadataDirective("COPY")
            .newMetadata(ignoredUnderCopy).build()),
        motoClients, new ObjectTask(1, source, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = head(motoS3, target, "doc");
    assertEquals("text/csv", copy.contentType());
    assertEquals("max-age=60", copy.cacheControl());
    assertEquals(Map.of("owner", "team-a", "source", "batch"), copy.metadata());
    assertEquals(Map.of("tier", "hot", "team", "data"), tags(motoS3, target, "doc"));
  }

  @Test
  void metadataDirectiveReplaceSetsTheNewMetadataAndStillCopiesTags() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    putWithMetadataAndTags(motoS3, source, "doc");
    Instant expires = Instant.parse("2030-01-02T03:04:05Z");
    S3ObjectMetadata replacement = new S3ObjectMetadata("no-cache", "attachment; filename=a.json",
        "identity", "fr", Map.of("x-amz-meta-Owner", "team-b", "reviewed", "yes"), 999L,
        "bm90IGEgcmVhbCBtZDU=", "application/json", expires, true, null);

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).metadataDirective("REPLACE")
            .newMetadata(replacement).build()),
        motoClients, new ObjectTask(1, source, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = head(motoS3, target, "doc");
    assertEquals("application/json", copy.contentType());
    assertEquals("no-cache", copy.cacheControl());
    assertEquals("attachment; filename=a.json", copy.contentDisposition());
    assertEquals("identity", copy.contentEncoding());
    assertEquals("fr", copy.contentLanguage());
    assertEquals(expires, DateUtils.parseRfc822Date(copy.expiresString()));
    assertEquals(Map.of("owner", "team-b", "reviewed", "yes"), copy.metadata());
    // ContentLength and ContentMD5 are deprecated and have no effect: the copy is the source's.
    assertEquals(4L, copy.contentLength());
    assertEquals(Map.of("tier", "hot", "team", "data"), tags(motoS3, target, "doc"));
  }

  @Test
  void newObjectMetadataWithoutDirectiveReplacesTheMetadata() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    putWithMetadataAndTags(motoS3, source, "doc");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target)
            .newMetadata(metadata("image/png", null)).build()),
        motoClients, new ObjectTask(1, source, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = head(motoS3, target, "doc");
    assertEquals("image/png", copy.contentType());
    assertTrue(copy.metadata().isEmpty(), copy.metadata()::toString);
  }

  @Test
  void newObjectTaggingReplacesTheSourceTagsAndAnEmptyListRemovesThem() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    putWithMetadataAndTags(motoS3, source, "doc");

    TaskResult replaced = runOne(new S3PutObjectCopy(CopySpec.to(target).prefix("new/")
            .newTagging(List.of(new S3Tag("stage", "copied"), new S3Tag("a b", "x+y=z / 1"))).build()),
        motoClients, new ObjectTask(1, source, "doc", null, null));
    TaskResult emptied = runOne(new S3PutObjectCopy(CopySpec.to(target).prefix("none/")
            .newTagging(List.of()).build()),
        motoClients, new ObjectTask(2, source, "doc", null, null));

    assertTrue(replaced.succeeded(), replaced::toString);
    assertTrue(emptied.succeeded(), emptied::toString);
    assertEquals(Map.of("stage", "copied", "a b", "x+y=z / 1"), tags(motoS3, target, "new/doc"));
    assertEquals(Map.of(), tags(motoS3, target, "none/doc"));
    assertEquals("text/csv", head(motoS3, target, "new/doc").contentType());
  }

  @Test
  void storageClassRedirectLocationAndChecksumAreSetOnTheCopy() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    Buckets.put(motoS3, source, "page.html", "<html/>");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).storageClass("STANDARD_IA")
            .redirectLocation("/new/page.html").checksumAlgorithm("SHA256").build()),
        motoClients, new ObjectTask(1, source, "page.html", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = motoS3.headObject(b -> b.bucket(target).key("page.html")
        .checksumMode(ChecksumMode.ENABLED));
    assertEquals("STANDARD_IA", copy.storageClassAsString());
    assertEquals("/new/page.html", copy.websiteRedirectLocation());
    assertNotNull(copy.checksumSHA256());
  }

  @Test
  void sseKmsWithTheGivenKeyAndBucketKeyIsSetOnTheCopy() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    Buckets.put(motoS3, source, "secret", "s3cr3t");
    String keyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    S3ObjectMetadata kms = new S3ObjectMetadata(null, null, null, null, null, null, null, null,
        null, null, "KMS");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).newMetadata(kms)
            .kmsKeyId(keyArn).bucketKeyEnabled(true).build()),
        motoClients, new ObjectTask(1, source, "secret", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = head(motoS3, target, "secret");
    assertEquals("aws:kms", copy.serverSideEncryptionAsString());
    assertEquals(keyArn, copy.ssekmsKeyId());
    assertEquals("s3cr3t", read(motoS3, target, "secret"));
  }

  @Test
  void sseS3IsSetOnTheCopyWithoutReplacingMetadata() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    putWithMetadataAndTags(motoS3, source, "doc");
    S3ObjectMetadata aes = new S3ObjectMetadata(null, null, null, null, null, null, null, null,
        null, null, "AES256");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).newMetadata(aes).build()),
        motoClients, new ObjectTask(1, source, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = head(motoS3, target, "doc");
    assertEquals("AES256", copy.serverSideEncryptionAsString());
    assertEquals("text/csv", copy.contentType());
  }

  @Test
  void cannedAclIsSetOnTheCopy() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    Buckets.put(motoS3, source, "public", "hello");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).cannedAcl("public-read")
            .build()),
        motoClients, new ObjectTask(1, source, "public", null, null));

    assertTrue(r.succeeded(), r::toString);
    List<Grant> grants = motoS3.getObjectAcl(b -> b.bucket(target).key("public")).grants();
    assertTrue(grants.stream().anyMatch(g -> "READ".equals(g.permissionAsString())
        && "http://acs.amazonaws.com/groups/global/AllUsers".equals(g.grantee().uri())),
        grants::toString);
  }

  @Test
  void grantsByIdEmailAndUriBecomeTheCopysAcl() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    Buckets.put(motoS3, source, "shared", "hello");
    String owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    String allUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    List<S3Grant> grants = List.of(
        new S3Grant(new S3Grantee("id", owner, null), "FULL_CONTROL"),
        new S3Grant(new S3Grantee("uri", allUsers, null), "READ"),
        new S3Grant(new S3Grantee("uri", allUsers, null), "READ_ACP"),
        new S3Grant(new S3Grantee("emailAddress", "ops@example.com", null), "WRITE_ACP"));

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).grants(grants).build()),
        motoClients, new ObjectTask(1, source, "shared", null, null));

    assertTrue(r.succeeded(), r::toString);
    Map<String, String> acl = motoS3.getObjectAcl(b -> b.bucket(target).key("shared")).grants()
        .stream().collect(Collectors.toMap(
            g -> g.permissionAsString() + " " + Stream.of(g.grantee().id(),
                g.grantee().emailAddress(), g.grantee().uri()).filter(Objects::nonNull)
                .findFirst().orElse("?"),
            g -> g.grantee().typeAsString()));
    // moto files an email grantee under its own type, so only id and uri types are checked.
    assertEquals(Set.of("FULL_CONTROL " + owner, "READ " + allUsers, "READ_ACP " + allUsers,
        "WRITE_ACP ops@example.com"), acl.keySet());
    assertEquals("CanonicalUser", acl.get("FULL_CONTROL " + owner));
    assertEquals("Group", acl.get("READ " + allUsers));
  }

  @Test
  void objectLockModeRetentionAndLegalHoldAreSetOnTheCopy() {
    String source = Buckets.create(motoS3, "src");
    String target = "locked-" + UUID.randomUUID().toString().substring(0, 8);
    motoS3.createBucket(b -> b.bucket(target).objectLockEnabledForBucket(true));
    Buckets.put(motoS3, source, "record", "keep me");
    Instant until = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target)
            .objectLock("GOVERNANCE", until, "ON").build()),
        motoClients, new ObjectTask(1, source, "record", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = head(motoS3, target, "record");
    assertEquals("GOVERNANCE", copy.objectLockModeAsString());
    assertEquals(until, copy.objectLockRetainUntilDate());
    assertEquals("ON", copy.objectLockLegalHoldStatusAsString());
  }

  @Test
  void copyFromVersionedSourceCopiesTheVersionTheTaskNames() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    motoS3.putBucketVersioning(b -> b.bucket(source)
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    String first = motoS3.putObject(b -> b.bucket(source).key("doc"),
        RequestBody.fromString("version one")).versionId();
    Buckets.put(motoS3, source, "doc", "version two");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()), motoClients,
        new ObjectTask(1, source, "doc", first, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals("version one", read(motoS3, target, "doc"));
  }

  @Test
  void inPlaceCopyWithANewStorageClassRewritesTheObject() {
    String bucket = Buckets.create(motoS3, "inplace");
    putWithMetadataAndTags(motoS3, bucket, "doc");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(bucket).storageClass("GLACIER_IR")
            .build()),
        motoClients, new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = head(motoS3, bucket, "doc");
    assertEquals("GLACIER_IR", copy.storageClassAsString());
    assertEquals("text/csv", copy.contentType());
    assertEquals("a,b\n", read(motoS3, bucket, "doc"));
  }

  /**
   * S3 refuses CopyObject of an object onto itself with nothing changed (400 InvalidRequest),
   * which is also the answer it gives a source over 5 GiB: the task must fail with S3's own
   * error once the HEAD shows the object is small, not be copied in parts.
   */
  @Test
  void copyOfAnObjectOntoItselfWithoutChangesFailsWithS3sError() {
    String bucket = Buckets.create(motoS3, "inplace");
    Buckets.put(motoS3, bucket, "doc", "unchanged");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(bucket).build()), motoClients,
        new ObjectTask(1, bucket, "doc", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("InvalidRequest", r.errorCode());
    assertEquals(400, r.httpStatusCode());
    assertTrue(r.resultMessage().contains("copy an object to itself"), r.resultMessage());
    assertEquals(1, r.attempts());
  }

  @Test
  void missingSourceFailsWithoutRetriesAndWritesNothing() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()), motoClients,
        new ObjectTask(1, source, "never-written", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals(404, r.httpStatusCode());
    assertEquals(1, r.attempts());
    assertFalse(exists(motoS3, target, "never-written"));
  }

  // -- the store's refusal of an unknown KMS key: S3Mock (moto takes any key id) ---------------

  @Test
  void copyWithAKmsKeyTheStoreDoesNotKnowFailsWithItsCodeAndWritesNothing() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    Buckets.put(mockS3, source, "secret", "s3cr3t");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target)
            .kmsKeyId("arn:aws:kms:us-east-1:123456789012:key/no-such-key").build()),
        mockClients, new ObjectTask(1, source, "secret", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("KMS.NotFoundException", r.errorCode());
    assertEquals(400, r.httpStatusCode());
    assertEquals(1, r.attempts(), "a refusal is not retried");
    assertFalse(exists(mockS3, target, "secret"));
  }

  @Test
  void copyWithAKmsKeyTheStoreKnowsIsEncryptedUnderIt() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    Buckets.put(mockS3, source, "secret", "s3cr3t");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target)
            .kmsKeyId(LocalS3Server.S3MOCK_KMS_KEY_ID).build()),
        mockClients, new ObjectTask(1, source, "secret", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse copy = head(mockS3, target, "secret");
    assertEquals("aws:kms", copy.serverSideEncryptionAsString());
    assertEquals(LocalS3Server.S3MOCK_KMS_KEY_ID, copy.ssekmsKeyId());
    assertEquals("s3cr3t", read(mockS3, target, "secret"));
  }

  // -- helpers ----------------------------------------------------------------------------------

  private static S3ObjectMetadata metadata(String contentType, Map<String, String> user) {
    return new S3ObjectMetadata(null, null, null, null, user, null, null, contentType, null, null,
        null);
  }

  static void putWithMetadataAndTags(S3Client s3, String bucket, String key) {
    s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/csv").cacheControl("max-age=60")
            .metadata(Map.of("owner", "team-a", "source", "batch")).tagging("team=data&tier=hot"),
        RequestBody.fromString("a,b\n"));
  }

  static HeadObjectResponse head(S3Client s3, String bucket, String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key));
  }

  static Map<String, String> tags(S3Client s3, String bucket, String key) {
    return s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  static String read(S3Client s3, String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  static boolean exists(S3Client s3, String bucket, String key) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
