package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3ObjectLockLegalHold;
import io.github.s3batchspark.job.spec.S3Retention;
import io.github.s3batchspark.job.spec.S3SetObjectLegalHoldOperation;
import io.github.s3batchspark.job.spec.S3SetObjectRetentionOperation;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/**
 * S3PutObjectRetention and S3PutObjectLegalHold through the real runner.
 *
 * <p>moto, because it implements Object Lock (S3Mock does not) and refuses both requests on a
 * bucket without it, and it honours the guard's conditional HEAD. Retention is read back with
 * HeadObject: moto answers GetObjectRetention with 500, but HEAD carries the same fields.
 */
class ObjectLockOperationsTest {
  private static final Instant UNTIL = Instant.parse("2040-01-01T00:00:00Z");

  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client s3 = moto.client();
  private final ExecutorClients clients = ExecutorClients.get(moto.clientSettings());

  @Test
  void retentionIsSetOnTheVersionTheManifestNames() {
    String bucket = lockedBucket();
    String first = put(bucket, "doc", "v1");
    String second = put(bucket, "doc", "v2");

    TaskResult r = runOne(retention("COMPLIANCE", UNTIL, false), clients,
        new ObjectTask(1, bucket, "doc", first, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals("Retention set to COMPLIANCE until 2040-01-01T00:00:00Z", r.resultMessage());
    HeadObjectResponse locked = head(bucket, "doc", first);
    assertEquals(ObjectLockMode.COMPLIANCE, locked.objectLockMode());
    assertEquals(UNTIL, locked.objectLockRetainUntilDate());
    assertNull(head(bucket, "doc", second).objectLockMode());
  }

  @Test
  void guardedRetentionActsOnTheVersionTheGuardSaw() {
    String bucket = lockedBucket();
    String etag = Buckets.put(s3, bucket, "doc", "as in the inventory");

    TaskResult r = runOne(retention("GOVERNANCE", UNTIL, true), clients,
        new ObjectTask(1, bucket, "doc", null, etag));

    assertTrue(r.succeeded(), r::toString);
    assertEquals(ObjectLockMode.GOVERNANCE, head(bucket, "doc", null).objectLockMode());
  }

  @Test
  void retentionOfChangedObjectIsRefusedByEtagGuard() {
    String bucket = lockedBucket();
    String oldEtag = Buckets.put(s3, bucket, "doc", "first");
    Buckets.put(s3, bucket, "doc", "second");

    TaskResult r = runOne(retention("GOVERNANCE", UNTIL, false), clients,
        new ObjectTask(1, bucket, "doc", null, oldEtag));

    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertNull(head(bucket, "doc", null).objectLockMode());
  }

  @Test
  void bucketWithoutObjectLockRefusesRetentionAsAFailedTask() {
    String bucket = Buckets.create(s3, "nolock");
    Buckets.put(s3, bucket, "doc", "x");

    TaskResult r = runOne(retention("GOVERNANCE", UNTIL, false), clients,
        new ObjectTask(1, bucket, "doc", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("InvalidRequest", r.errorCode());
    assertEquals(400, r.httpStatusCode());
    assertEquals(1, r.attempts());
  }

  @Test
  void retentionWithModeButNoDateIsRefusedNamingTheField() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> retention("GOVERNANCE", null, false));
    assertTrue(e.getMessage().startsWith("Operation.S3PutObjectRetention.Retention"),
        e.getMessage());
  }

  @Test
  void legalHoldIsPutOnAndLifted() {
    String bucket = lockedBucket();
    String version = put(bucket, "doc", "x");
    ObjectTask task = new ObjectTask(1, bucket, "doc", version, null);

    TaskResult on = runOne(legalHold("ON"), clients, task);
    assertTrue(on.succeeded(), on::toString);
    assertEquals("Legal hold ON", on.resultMessage());
    assertEquals(ObjectLockLegalHoldStatus.ON, legalHoldOf(bucket, "doc", version));

    TaskResult off = runOne(legalHold("OFF"), clients, task);
    assertTrue(off.succeeded(), off::toString);
    assertEquals(ObjectLockLegalHoldStatus.OFF, legalHoldOf(bucket, "doc", version));
  }

  @Test
  void legalHoldOfChangedObjectIsRefusedByEtagGuard() {
    String bucket = lockedBucket();
    String oldEtag = Buckets.put(s3, bucket, "doc", "first");
    Buckets.put(s3, bucket, "doc", "second");

    TaskResult r = runOne(legalHold("ON"), clients, new ObjectTask(1, bucket, "doc", null,
        oldEtag));

    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertNull(head(bucket, "doc", null).objectLockLegalHoldStatus());
  }

  @Test
  void bucketWithoutObjectLockRefusesLegalHoldAsAFailedTask() {
    String bucket = Buckets.create(s3, "nolock");
    Buckets.put(s3, bucket, "doc", "x");

    TaskResult r = runOne(legalHold("ON"), clients, new ObjectTask(1, bucket, "doc", null, null));

    assertEquals("InvalidRequest", r.errorCode());
    assertEquals(400, r.httpStatusCode());
  }

  private String lockedBucket() {
    String name = "lock-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(name).objectLockEnabledForBucket(true));
    return name;
  }

  private String put(String bucket, String key, String body) {
    Buckets.put(s3, bucket, key, body);
    return head(bucket, key, null).versionId();
  }

  private HeadObjectResponse head(String bucket, String key, String version) {
    return s3.headObject(b -> b.bucket(bucket).key(key).versionId(version));
  }

  private ObjectLockLegalHoldStatus legalHoldOf(String bucket, String key, String version) {
    return s3.getObjectLegalHold(b -> b.bucket(bucket).key(key).versionId(version)).legalHold()
        .status();
  }

  private static S3PutObjectRetention retention(String mode, Instant until, boolean bypass) {
    return new S3PutObjectRetention(new S3SetObjectRetentionOperation(bypass,
        new S3Retention(until, mode)));
  }

  private static S3PutObjectLegalHold legalHold(String status) {
    return new S3PutObjectLegalHold(new S3SetObjectLegalHoldOperation(
        new S3ObjectLockLegalHold(status)));
  }
}
