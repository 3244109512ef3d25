package io.github.s3batchspark.operation;

import static io.github.s3batchspark.operation.S3PutObjectCopyTest.exists;
import static io.github.s3batchspark.operation.S3PutObjectCopyTest.head;
import static io.github.s3batchspark.operation.S3PutObjectCopyTest.tags;
import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
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
import io.github.s3batchspark.testing.OperationRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.utils.DateUtils;

/**
 * Copies above the multipart threshold, made through UploadPartCopy. The threshold and part
 * size are 5 MiB (S3's smallest part), so a 12 MiB object is copied in three parts.
 *
 * <p>S3Mock for the guard (it honours {@code x-amz-copy-source-if-match} on HEAD and
 * UploadPartCopy) and for metadata and tags; moto for versions, SSE-KMS, ACL grants, storage
 * classes, redirects and checksums on CreateMultipartUpload. Neither server applies Object Lock
 * headers on CreateMultipartUpload, so Object Lock is tested on the single-request path only.
 */
class MultipartCopyTest {
  private static final long MIB = 1024 * 1024;
  private static final byte[] TWELVE_MIB = randomBytes(12 * MIB);
  private static final Instant EXPIRES = Instant.parse("2031-05-06T07:08:09Z");

  private final LocalS3Server s3mock = LocalS3Server.s3mock();
  private final S3Client mockS3 = s3mock.client();
  private final ExecutorClients mockClients = ExecutorClients.get(small(s3mock.clientSettings()));
  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client motoS3 = moto.client();
  private final ExecutorClients motoClients = ExecutorClients.get(small(moto.clientSettings()));

  @Test
  void objectAboveTheThresholdIsCopiedInPartsWithItsContentMetadataAndTags() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    String etag = mockS3.putObject(b -> b.bucket(source).key("big/data.bin")
            .contentType("application/x-test").cacheControl("max-age=5").expires(EXPIRES)
            .metadata(Map.of("owner", "team-a")).tagging("team=data&tier=cold"),
        RequestBody.fromBytes(TWELVE_MIB)).eTag();

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).prefix("copy/").build()),
        mockClients, new ObjectTask(1, source, "big/data.bin", null, etag));

    assertTrue(r.succeeded(), r::toString);
    assertTrue(r.resultMessage().contains("-3\""), "a three-part ETag: " + r.resultMessage());
    assertArrayEquals(TWELVE_MIB, mockS3.getObjectAsBytes(b -> b.bucket(target)
        .key("copy/big/data.bin")).asByteArray());
    HeadObjectResponse copy = head(mockS3, target, "copy/big/data.bin");
    assertEquals("application/x-test", copy.contentType());
    assertEquals("max-age=5", copy.cacheControl());
    assertEquals(EXPIRES, DateUtils.parseRfc822Date(copy.expiresString()));
    assertEquals(Map.of("owner", "team-a"), copy.metadata());
    assertEquals(Map.of("team", "data", "tier", "cold"), tags(mockS3, target,
        "copy/big/data.bin"));
  }

  @Test
  void unguardedMultipartCopyPinsItsPartsToTheEtagItsHeadSaw() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    mockS3.putObject(b -> b.bucket(source).key("big"), RequestBody.fromBytes(TWELVE_MIB));

    // S3Mock checks x-amz-copy-source-if-match on every UploadPartCopy: a pin in the wrong
    // form would fail the parts.
    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()), mockClients,
        new ObjectTask(1, source, "big", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertArrayEquals(TWELVE_MIB, mockS3.getObjectAsBytes(b -> b.bucket(target).key("big"))
        .asByteArray());
  }

  @Test
  void guardedSourceOverwrittenDuringAMultipartCopyIsRefusedAndTheUploadAborted() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    String etag = mockS3.putObject(b -> b.bucket(source).key("big"),
        RequestBody.fromBytes(TWELVE_MIB)).eTag();
    byte[] later = randomBytes(11 * MIB);

    TaskResult r;
    try (var proxy = new ForwardingS3Proxy(s3mock)) {
      proxy.beforeFirst(MultipartCopyTest::isUploadPartCopy, () -> mockS3.putObject(
          b -> b.bucket(source).key("big"), RequestBody.fromBytes(later)));
      r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()),
          ExecutorClients.get(small(proxy.clientSettings())),
          new ObjectTask(1, source, "big", null, etag));
    }

    assertEquals(TaskResult.FAILED, r.taskStatus(), r::toString);
    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(1, r.attempts());
    assertFalse(exists(mockS3, target, "big"));
    assertTrue(mockS3.listMultipartUploads(b -> b.bucket(target)).uploads().isEmpty());
  }

  @Test
  void unguardedSourceOverwrittenDuringAMultipartCopyIsCopiedWholeOnTheNextAttempt() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    mockS3.putObject(b -> b.bucket(source).key("big"), RequestBody.fromBytes(TWELVE_MIB));
    byte[] later = randomBytes(11 * MIB);

    TaskResult r;
    try (var proxy = new ForwardingS3Proxy(s3mock)) {
      proxy.beforeFirst(MultipartCopyTest::isUploadPartCopy, () -> mockS3.putObject(
          b -> b.bucket(source).key("big"), RequestBody.fromBytes(later)));
      r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()),
          ExecutorClients.get(small(proxy.clientSettings())),
          new ObjectTask(1, source, "big", null, null));
    }

    assertTrue(r.succeeded(), r::toString);
    assertEquals(2, r.attempts());
    assertArrayEquals(later, mockS3.getObjectAsBytes(b -> b.bucket(target).key("big"))
        .asByteArray());
    assertTrue(mockS3.listMultipartUploads(b -> b.bucket(target)).uploads().isEmpty());
  }

  /**
   * Neither server acts on x-amz-request-payer, so the proxy checks the wire instead: every
   * request of both paths (the SDK's multipart client leaves it off its HEAD and its
   * CompleteMultipartUpload) says the requester pays.
   */
  @Test
  void requesterPaysIsSentOnEveryRequestOfSingleAndMultipartCopies() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    mockS3.putObject(b -> b.bucket(source).key("big").tagging("a=b"),
        RequestBody.fromBytes(TWELVE_MIB));
    Buckets.put(mockS3, source, "small", "small");

    List<ForwardingS3Proxy.Request> sent;
    List<TaskResult> results;
    try (var proxy = new ForwardingS3Proxy(s3mock)) {
      results = OperationRun.run(new S3PutObjectCopy(CopySpec.to(target).requesterPays(true)
              .build()), ExecutorClients.get(small(proxy.clientSettings())),
          new ObjectTask(1, source, "big", null, null),
          new ObjectTask(2, source, "small", null, null));
      sent = proxy.requests();
    }

    assertTrue(results.stream().allMatch(TaskResult::succeeded), results::toString);
    // HEAD x2, GetObjectTagging, CreateMultipartUpload, 3 x UploadPartCopy, Complete, CopyObject
    assertEquals(9, sent.size(), sent::toString);
    assertTrue(sent.stream().allMatch(r -> "requester".equals(r.header("x-amz-request-payer"))),
        sent::toString);
  }

  @Test
  void objectAtOrBelowTheThresholdIsCopiedInOneRequest() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    String etag = Buckets.put(mockS3, source, "small", "small enough for one CopyObject");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()), mockClients,
        new ObjectTask(1, source, "small", null, etag));

    assertTrue(r.succeeded(), r::toString);
    assertTrue(r.resultMessage().contains("ETag " + etag), r.resultMessage());
  }

  @Test
  void multipartCopyOfChangedObjectIsRefusedByEtagGuardAndNothingIsWritten() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    String oldEtag = mockS3.putObject(b -> b.bucket(source).key("big"),
        RequestBody.fromBytes(TWELVE_MIB)).eTag();
    mockS3.putObject(b -> b.bucket(source).key("big"),
        RequestBody.fromBytes(randomBytes(11 * MIB)));

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()), mockClients,
        new ObjectTask(1, source, "big", null, oldEtag));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertFalse(exists(mockS3, target, "big"));
    assertTrue(mockS3.listMultipartUploads(b -> b.bucket(target)).uploads().isEmpty());
  }

  @Test
  void unModifiedSinceConstraintRefusesAMultipartCopyBeforeAnyUpload() {
    String source = Buckets.create(mockS3, "src");
    String target = Buckets.create(mockS3, "dst");
    mockS3.putObject(b -> b.bucket(source).key("big"), RequestBody.fromBytes(TWELVE_MIB));

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target)
            .unmodifiedSince(Instant.parse("2001-01-01T00:00:00Z")).build()),
        mockClients, new ObjectTask(1, source, "big", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus(), r::toString);
    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertTrue(r.resultMessage().contains("UnModifiedSinceConstraint"), r.resultMessage());
    assertTrue(mockS3.listMultipartUploads(b -> b.bucket(target)).uploads().isEmpty());
  }

  @Test
  void jobSettingsApplyToAMultipartCopy() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    motoS3.putObject(b -> b.bucket(source).key("big").contentType("application/x-old")
        .metadata(Map.of("old", "yes")).tagging("old=yes"), RequestBody.fromBytes(TWELVE_MIB));
    String keyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    String allUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    S3ObjectMetadata replacement = new S3ObjectMetadata(null, null, null, null,
        Map.of("new", "yes"), null, null, "application/x-new", null, null, "KMS");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).metadataDirective("REPLACE")
            .newMetadata(replacement).kmsKeyId(keyArn).storageClass("STANDARD_IA")
            .newTagging(List.of(new S3Tag("new", "tag")))
            .grants(List.of(new S3Grant(new S3Grantee("uri", allUsers, null), "READ")))
            .redirectLocation("/elsewhere").checksumAlgorithm("SHA256").build()),
        motoClients, new ObjectTask(1, source, "big", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertTrue(r.resultMessage().contains("-3\""), "a three-part ETag: " + r.resultMessage());
    HeadObjectResponse copy = motoS3.headObject(b -> b.bucket(target).key("big")
        .checksumMode(ChecksumMode.ENABLED));
    assertEquals(12 * MIB, copy.contentLength());
    assertNotNull(copy.checksumSHA256());
    assertEquals("application/x-new", copy.contentType());
    assertEquals(Map.of("new", "yes"), copy.metadata());
    assertEquals("aws:kms", copy.serverSideEncryptionAsString());
    assertEquals(keyArn, copy.ssekmsKeyId());
    assertEquals("STANDARD_IA", copy.storageClassAsString());
    assertEquals("/elsewhere", copy.websiteRedirectLocation());
    assertEquals(Map.of("new", "tag"), tags(motoS3, target, "big"));
    assertTrue(motoS3.getObjectAcl(b -> b.bucket(target).key("big")).grants().stream()
        .anyMatch(g -> allUsers.equals(g.grantee().uri()) && "READ".equals(
            g.permissionAsString())));
  }

  @Test
  void multipartCopyFromVersionedSourceCopiesTheVersionTheTaskNames() {
    String source = Buckets.create(motoS3, "src");
    String target = Buckets.create(motoS3, "dst");
    motoS3.putBucketVersioning(b -> b.bucket(source)
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    String first = motoS3.putObject(b -> b.bucket(source).key("big"),
        RequestBody.fromBytes(TWELVE_MIB)).versionId();
    motoS3.putObject(b -> b.bucket(source).key("big"), RequestBody.fromString("later, small"));

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(target).build()), motoClients,
        new ObjectTask(1, source, "big", first, null));

    assertTrue(r.succeeded(), r::toString);
    assertArrayEquals(TWELVE_MIB, motoS3.getObjectAsBytes(b -> b.bucket(target).key("big"))
        .asByteArray());
  }

  @Test
  void partSizeGrowsSoThatNoObjectNeedsMoreThanTenThousandParts() {
    long fiveTiB = 5L * 1024 * 1024 * MIB;
    var copy = new MultipartCopy(new ObjectTask(1, "b", "k", null, null), null, 8 * MIB);

    long partSize = copy.partSizeFor(fiveTiB);

    assertTrue((fiveTiB + partSize - 1) / partSize <= MultipartCopy.MAX_PARTS);
    assertEquals(8 * MIB, copy.partSizeFor(12 * MIB));
  }

  private static boolean isUploadPartCopy(ForwardingS3Proxy.Request r) {
    return r.method().equals("PUT") && r.query() != null && r.query().contains("partNumber=")
        && r.hasHeader("x-amz-copy-source");
  }

  private static ClientSettings small(ClientSettings settings) {
    return settings.withMultipart(5 * MIB, 5 * MIB);
  }

  private static byte[] randomBytes(long size) {
    byte[] bytes = new byte[(int) size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
