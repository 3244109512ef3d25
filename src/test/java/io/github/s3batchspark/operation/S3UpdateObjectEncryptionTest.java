package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.ObjectEncryption;
import io.github.s3batchspark.job.spec.S3UpdateObjectEncryptionOperation;
import io.github.s3batchspark.job.spec.S3UpdateObjectEncryptionSSEKMS;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * S3UpdateObjectEncryption through the real runner, everything of the object read back.
 *
 * <p>moto, because it keeps SSE-KMS settings, storage classes, grants set by header and Object
 * Lock through a copy (S3Mock has no Object Lock). moto does not check that a KMS key exists, so
 * S3's refusal of an unknown key is tested on S3Mock, which knows one key
 * ({@link LocalS3Server#S3MOCK_KMS_KEY_ID}) and refuses the others as S3 does.
 */
class S3UpdateObjectEncryptionTest {
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client s3 = moto.client();
  private final ExecutorClients clients = ExecutorClients.get(moto.clientSettings());
  private final S3UpdateObjectEncryption toKms = new S3UpdateObjectEncryption(
      new S3UpdateObjectEncryptionOperation(new ObjectEncryption(
          new S3UpdateObjectEncryptionSSEKMS(KEY_ARN, true))));

  @Test
  void objectIsReEncryptedAndKeepsEverythingElse() {
    String bucket = Buckets.create(s3, "sse");
    s3.putObject(b -> b.bucket(bucket).key("doc").contentType("text/plain")
            .metadata(Map.of("owner", "finance")).tagging("project=apollo")
            .storageClass(StorageClass.STANDARD_IA).grantRead("uri=\"" + ALL_USERS + "\""),
        RequestBody.fromString("the content"));

    TaskResult r = runOne(toKms, clients, new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertTrue(r.resultMessage().startsWith("Encrypted with SSE-KMS key " + KEY_ARN
        + " (bucket key on)"), r.resultMessage());
    HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("doc"));
    assertEquals(ServerSideEncryption.AWS_KMS, head.serverSideEncryption());
    assertEquals(KEY_ARN, head.ssekmsKeyId());
    assertEquals("text/plain", head.contentType());
    assertEquals(Map.of("owner", "finance"), head.metadata());
    assertEquals(StorageClass.STANDARD_IA.toString(), head.storageClassAsString());
    assertEquals(Map.of("project", "apollo"), s3.getObjectTagging(b -> b.bucket(bucket)
        .key("doc")).tagSet().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())));
    assertTrue(s3.getObjectAcl(b -> b.bucket(bucket).key("doc")).grants().stream()
        .anyMatch(g -> ALL_USERS.equals(g.grantee().uri())), "the public-read grant survives");
    assertEquals("the content", s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc"))
        .asUtf8String());
  }

  @Test
  void objectLockSettingsSurviveTheReEncryption() {
    String bucket = "lock-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    Instant until = Instant.parse("2040-01-01T00:00:00Z");
    s3.putObject(b -> b.bucket(bucket).key("doc").objectLockMode(ObjectLockMode.GOVERNANCE)
            .objectLockRetainUntilDate(until)
            .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)
            .checksumAlgorithm(ChecksumAlgorithm.CRC32), // S3 wants one with Object Lock
        RequestBody.fromString("retained"));

    TaskResult r = runOne(toKms, clients, new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("doc"));
    assertEquals(ServerSideEncryption.AWS_KMS, head.serverSideEncryption());
    assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
    assertEquals(until, head.objectLockRetainUntilDate());
    assertEquals(ObjectLockLegalHoldStatus.ON, head.objectLockLegalHoldStatus());
  }

  @Test
  void changedObjectIsRefusedByEtagGuardAndNotReEncrypted() {
    String bucket = Buckets.create(s3, "sse");
    String oldEtag = Buckets.put(s3, bucket, "doc", "first");
    Buckets.put(s3, bucket, "doc", "second");

    TaskResult r = runOne(toKms, clients, new ObjectTask(1, bucket, "doc", null, oldEtag));

    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertNull(s3.headObject(b -> b.bucket(bucket).key("doc")).ssekmsKeyId());
  }

  @Test
  void keyTheStoreDoesNotKnowIsAFailedTaskWithItsCodeAndTheObjectIsUnchanged() {
    LocalS3Server s3mock = LocalS3Server.s3mock();
    S3Client mockS3 = s3mock.client();
    String bucket = Buckets.create(mockS3, "sse");
    Buckets.put(mockS3, bucket, "doc", "the content");
    S3UpdateObjectEncryption toUnknownKey = new S3UpdateObjectEncryption(
        new S3UpdateObjectEncryptionOperation(new ObjectEncryption(
            new S3UpdateObjectEncryptionSSEKMS(KEY_ARN, false))));

    TaskResult r = runOne(toUnknownKey, ExecutorClients.get(s3mock.clientSettings()),
        new ObjectTask(1, bucket, "doc", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("KMS.NotFoundException", r.errorCode());
    assertEquals(400, r.httpStatusCode());
    assertEquals(1, r.attempts(), "a refusal is not retried");
    HeadObjectResponse head = mockS3.headObject(b -> b.bucket(bucket).key("doc"));
    assertNull(head.ssekmsKeyId());
    assertEquals("the content", mockS3.getObjectAsBytes(b -> b.bucket(bucket).key("doc"))
        .asUtf8String());
  }

  @Test
  void keyTheStoreKnowsEncryptsTheObject() {
    LocalS3Server s3mock = LocalS3Server.s3mock();
    S3Client mockS3 = s3mock.client();
    String bucket = Buckets.create(mockS3, "sse");
    mockS3.putObject(b -> b.bucket(bucket).key("doc").metadata(Map.of("owner", "finance")),
        RequestBody.fromString("the content"));
    S3UpdateObjectEncryption toKnownKey = new S3UpdateObjectEncryption(
        new S3UpdateObjectEncryptionOperation(new ObjectEncryption(
            new S3UpdateObjectEncryptionSSEKMS(LocalS3Server.S3MOCK_KMS_KEY_ID, false))));

    TaskResult r = runOne(toKnownKey, ExecutorClients.get(s3mock.clientSettings()),
        new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse head = mockS3.headObject(b -> b.bucket(bucket).key("doc"));
    assertEquals(ServerSideEncryption.AWS_KMS, head.serverSideEncryption());
    assertEquals(LocalS3Server.S3MOCK_KMS_KEY_ID, head.ssekmsKeyId());
    assertEquals(Map.of("owner", "finance"), head.metadata());
  }

  @Test
  void missingObjectIsAFailedTask() {
    String bucket = Buckets.create(s3, "sse");

    TaskResult r = runOne(toKms, clients, new ObjectTask(1, bucket, "gone", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals(404, r.httpStatusCode());
  }
}
