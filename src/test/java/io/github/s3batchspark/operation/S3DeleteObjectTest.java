package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.OperationRun;
import io.github.s3batchspark.testing.LocalS3Server;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

/**
 * S3DeleteObject through the real runner.
 *
 * <p>moto, because it implements versioning, delete markers and Object Lock, and it honours
 * {@code If-Match} on DeleteObject (the guard). S3Mock honours that header too: the guard is
 * tested on both, since it is the one thing that must never go wrong with a delete. Unguarded
 * deletes go through DeleteObjects, which moto answers key by key (Object Lock included).
 */
class S3DeleteObjectTest {
  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client s3 = moto.client();
  private final ExecutorClients clients = ExecutorClients.get(moto.clientSettings());
  private final S3DeleteObject delete = new S3DeleteObject();

  @Test
  void listedObjectIsDeleted() {
    String bucket = Buckets.create(s3, "del");
    Buckets.put(s3, bucket, "doc", "x");
    Buckets.put(s3, bucket, "keep", "x");

    TaskResult r = runOne(delete, clients, new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals(200, r.httpStatusCode());
    assertFalse(exists(s3, bucket, "doc"));
    assertTrue(exists(s3, bucket, "keep"));
  }

  @Test
  void unchangedObjectPassesTheGuardAndIsDeleted() {
    String bucket = Buckets.create(s3, "del");
    String etag = Buckets.put(s3, bucket, "doc", "as in the inventory");

    TaskResult r = runOne(delete, clients, new ObjectTask(1, bucket, "doc", null,
        etag.replace("\"", "")));

    assertTrue(r.succeeded(), r::toString);
    assertFalse(exists(s3, bucket, "doc"));
  }

  @Test
  void changedObjectIsRefusedByTheGuardAndKeptOnBothServers() {
    for (LocalS3Server server : List.of(moto, LocalS3Server.s3mock())) {
      S3Client client = server.client();
      String bucket = Buckets.create(client, "del");
      String oldEtag = Buckets.put(client, bucket, "doc", "first");
      Buckets.put(client, bucket, "doc", "second, after the inventory");

      TaskResult r = runOne(delete, ExecutorClients.get(server.clientSettings()),
          new ObjectTask(1, bucket, "doc", null, oldEtag));

      assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode(), server.name());
      assertEquals(412, r.httpStatusCode(), server.name());
      assertEquals("second, after the inventory",
          client.getObjectAsBytes(b -> b.bucket(bucket).key("doc")).asUtf8String(), server.name());
    }
  }

  @Test
  void deleteOnAVersionedBucketLeavesADeleteMarkerAndKeepsTheVersion() {
    String bucket = versionedBucket();
    Buckets.put(s3, bucket, "doc", "x");
    String version = s3.headObject(b -> b.bucket(bucket).key("doc")).versionId();

    TaskResult r = runOne(delete, clients, new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertTrue(r.resultMessage().startsWith("Deleted: delete marker "), r.resultMessage());
    assertFalse(exists(s3, bucket, "doc"));
    assertEquals("x", s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc").versionId(version))
        .asUtf8String());
  }

  @Test
  void listedVersionIsRemovedAndTheOthersStay() {
    String bucket = versionedBucket();
    Buckets.put(s3, bucket, "doc", "v1");
    String first = s3.headObject(b -> b.bucket(bucket).key("doc")).versionId();
    Buckets.put(s3, bucket, "doc", "v2");

    TaskResult r = runOne(delete, clients, new ObjectTask(1, bucket, "doc", first, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals("Deleted version " + first, r.resultMessage());
    assertEquals(List.of("v2"), s3.listObjectVersions(b -> b.bucket(bucket)).versions().stream()
        .map(v -> s3.getObjectAsBytes(g -> g.bucket(bucket).key("doc").versionId(v.versionId()))
            .asUtf8String()).toList());
  }

  @Test
  void versionUnderObjectLockIsAFailedTaskNotAFailedJob() {
    String bucket = "lock-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    Buckets.put(s3, bucket, "doc", "retained");
    String version = s3.headObject(b -> b.bucket(bucket).key("doc")).versionId();
    s3.putObjectRetention(b -> b.bucket(bucket).key("doc").versionId(version).retention(
        rt -> rt.mode(ObjectLockRetentionMode.COMPLIANCE)
            .retainUntilDate(Instant.parse("2040-01-01T00:00:00Z"))));

    TaskResult r = runOne(delete, clients, new ObjectTask(1, bucket, "doc", version, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("AccessDenied", r.errorCode());
    assertEquals(403, r.httpStatusCode());
    assertEquals(1, r.attempts());
    assertTrue(exists(s3, bucket, "doc"));
  }

  /** Unguarded deletes go out together; each task still gets its own result. */
  @Test
  void unguardedDeletesAreBatchedIntoOneDeleteObjectsRequest() {
    String bucket = Buckets.create(s3, "del-batch");
    List<String> keys = List.of("a", "b/c", "d e");
    keys.forEach(k -> Buckets.put(s3, bucket, k, "x"));
    ObjectTask[] tasks = new ObjectTask[keys.size()];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new ObjectTask(i, bucket, keys.get(i), null, null);
    }

    List<TaskResult> results;
    List<ForwardingS3Proxy.Request> sent;
    try (var proxy = new ForwardingS3Proxy(moto)) {
      results = OperationRun.run(delete, ExecutorClients.get(proxy.clientSettings()), tasks);
      sent = proxy.requests();
    }

    assertTrue(results.stream().allMatch(TaskResult::succeeded), results::toString);
    assertEquals(1, sent.size(), sent::toString);
    assertEquals("POST", sent.get(0).method());
    assertTrue(sent.get(0).query().contains("delete"), sent.get(0).query());
    keys.forEach(k -> assertFalse(exists(s3, bucket, k), k));
  }

  @Test
  void lockedVersionInABatchFailsAloneWithS3sCode() {
    String bucket = "lock-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    Buckets.put(s3, bucket, "locked", "retained");
    Buckets.put(s3, bucket, "free", "x");
    String locked = s3.headObject(b -> b.bucket(bucket).key("locked")).versionId();
    String free = s3.headObject(b -> b.bucket(bucket).key("free")).versionId();
    s3.putObjectRetention(b -> b.bucket(bucket).key("locked").versionId(locked).retention(
        rt -> rt.mode(ObjectLockRetentionMode.COMPLIANCE)
            .retainUntilDate(Instant.parse("2040-01-01T00:00:00Z"))));

    List<TaskResult> results = OperationRun.run(delete, clients,
        new ObjectTask(1, bucket, "locked", locked, null),
        new ObjectTask(2, bucket, "free", free, null));

    TaskResult lockedResult = results.stream().filter(r -> r.taskId() == 1).findFirst().get();
    TaskResult freeResult = results.stream().filter(r -> r.taskId() == 2).findFirst().get();
    assertEquals("AccessDenied", lockedResult.errorCode(), lockedResult::toString);
    assertEquals(403, lockedResult.httpStatusCode());
    assertTrue(freeResult.succeeded(), freeResult::toString);
    assertTrue(exists(s3, bucket, "locked"));
    assertFalse(exists(s3, bucket, "free"));
  }

  @Test
  void dryRunDescribesTheDeleteAndSendsNothing() {
    String bucket = Buckets.create(s3, "del");
    Buckets.put(s3, bucket, "doc", "x");

    TaskResult r = runOne(new DryRun(delete), clients, new ObjectTask(1, bucket, "doc", "v7",
        "abc"));

    assertTrue(r.succeeded(), r::toString);
    assertEquals("Would delete s3://" + bucket + "/doc version v7 if its ETag is still \"abc\"",
        r.resultMessage());
    assertTrue(exists(s3, bucket, "doc"));
  }

  private String versionedBucket() {
    String bucket = Buckets.create(s3, "del-versioned");
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(
        v -> v.status(BucketVersioningStatus.ENABLED)));
    return bucket;
  }

  static boolean exists(S3Client s3, String bucket, String key) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }
}
