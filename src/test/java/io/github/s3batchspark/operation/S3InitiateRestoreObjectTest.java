package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3InitiateRestoreObjectOperation;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * S3InitiateRestoreObject through the real runner.
 *
 * <p>moto, because it implements archive storage classes and restore (S3Mock does not): it
 * refuses a restore of a STANDARD object with 403 InvalidObjectState, as S3 does, and completes
 * a restore at once (so the Restore header reads ongoing-request="false" right after).
 */
class S3InitiateRestoreObjectTest {
  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client s3 = moto.client();
  private final ExecutorClients clients = ExecutorClients.get(moto.clientSettings());
  private final S3InitiateRestoreObject restore = new S3InitiateRestoreObject(
      new S3InitiateRestoreObjectOperation(3, "BULK"));

  @Test
  void archivedObjectIsRestored() {
    String bucket = Buckets.create(s3, "restore");
    putArchived(bucket, "old");

    TaskResult r = runOne(restore, clients, new ObjectTask(1, bucket, "old", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals("Restore initiated: 3 day(s), tier BULK", r.resultMessage());
    String header = s3.headObject(b -> b.bucket(bucket).key("old")).restore();
    assertTrue(header != null && header.contains("ongoing-request"), header);
  }

  /**
   * S3 answers 200 to a restore of an object already restored, and extends its expiry; moto
   * restores at once, so a second restore meets that answer. (An object whose restore is still
   * running gets 409 RestoreAlreadyInProgress from S3, which no server here implements.)
   */
  @Test
  void secondRestoreOfARestoredObjectSucceedsAsAnExtension() {
    String bucket = Buckets.create(s3, "restore");
    putArchived(bucket, "old");
    TaskResult first = runOne(restore, clients, new ObjectTask(1, bucket, "old", null, null));

    TaskResult second = runOne(restore, clients, new ObjectTask(1, bucket, "old", null, null));

    assertEquals(202, first.httpStatusCode(), first::toString);
    assertTrue(second.succeeded(), second::toString);
    assertEquals(200, second.httpStatusCode());
    assertEquals("Already restored; restore extended: 3 day(s), tier BULK",
        second.resultMessage());
  }

  @Test
  void objectInNoArchiveClassIsAFailedTaskWithS3sCode() {
    String bucket = Buckets.create(s3, "restore");
    Buckets.put(s3, bucket, "fresh", "x");

    TaskResult r = runOne(restore, clients, new ObjectTask(1, bucket, "fresh", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("InvalidObjectState", r.errorCode());
    assertEquals(403, r.httpStatusCode());
    assertEquals(1, r.attempts());
  }

  @Test
  void restoreOfChangedObjectIsRefusedByEtagGuard() {
    String bucket = Buckets.create(s3, "restore");
    String oldEtag = putArchived(bucket, "old");
    putArchived(bucket, "old");
    s3.putObject(b -> b.bucket(bucket).key("old").storageClass(StorageClass.GLACIER),
        RequestBody.fromString("rewritten after the inventory"));

    TaskResult r = runOne(restore, clients, new ObjectTask(1, bucket, "old", null, oldEtag));

    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertNull(s3.headObject(b -> b.bucket(bucket).key("old")).restore());
  }

  private String putArchived(String bucket, String key) {
    return s3.putObject(b -> b.bucket(bucket).key(key).storageClass(StorageClass.GLACIER),
        RequestBody.fromString("archived " + key)).eTag();
  }
}
