package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3AccessControlPolicy;
import io.github.s3batchspark.job.spec.S3ObjectLockLegalHold;
import io.github.s3batchspark.job.spec.S3Retention;
import io.github.s3batchspark.job.spec.S3SetObjectAclOperation;
import io.github.s3batchspark.job.spec.S3SetObjectLegalHoldOperation;
import io.github.s3batchspark.job.spec.S3SetObjectRetentionOperation;
import io.github.s3batchspark.operation.S3PutObjectTagging.ObjectTag;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.ForwardingS3Proxy.Request;
import io.github.s3batchspark.testing.LocalS3Server;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The ETag guard of the operations whose write has no precondition header, with the object
 * changed by the test at the exact point of the race: between the guard's HEAD and the write,
 * or between the write and the HEAD after it (a {@link ForwardingS3Proxy} runs the change just
 * before forwarding that request).
 *
 * <p>Unversioned buckets on S3Mock, which enforces If-Match on HEAD. Versioned buckets and
 * Object Lock on moto (S3Mock has no Object Lock), which enforces it on HEAD as well.
 */
class EtagGuardTest {
  private static final Instant UNTIL = Instant.parse("2040-01-01T00:00:00Z");
  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  private final LocalS3Server s3mock = LocalS3Server.s3mock();
  private final S3Client mockS3 = s3mock.client();
  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client motoS3 = moto.client();

  @Test
  void taggingOfAnObjectOverwrittenBeforeTheWriteFailsAsChangedDuringTask() {
    String bucket = Buckets.create(mockS3, "race");
    String etag = Buckets.put(mockS3, bucket, "doc", "as in the manifest");

    Run run = race(s3mock, EtagGuardTest::isTaggingPut, () -> Buckets.put(mockS3, bucket, "doc",
        "written between the check and the write"), tagging(), task(bucket, etag));

    assertChangedDuringTask(run.result(), etag);
    assertEquals(List.of("HEAD", "PUT tagging", "HEAD"), run.requests());
  }

  @Test
  void taggingOfAnObjectOverwrittenAfterTheWriteFailsAsChangedDuringTask() {
    String bucket = Buckets.create(mockS3, "race");
    String etag = Buckets.put(mockS3, bucket, "doc", "as in the manifest");

    Run run = race(s3mock, checkAfterTheWrite(), () -> Buckets.put(mockS3,
        bucket, "doc", "written between the write and the check"), tagging(), task(bucket, etag));

    assertChangedDuringTask(run.result(), etag);
    assertEquals(List.of("HEAD", "PUT tagging", "HEAD"), run.requests());
  }

  @Test
  void tagRemovalOfAnObjectDeletedAfterTheWriteFailsAsChangedDuringTask() {
    String bucket = Buckets.create(mockS3, "race");
    String etag = Buckets.put(mockS3, bucket, "doc", "as in the manifest");

    Run run = race(s3mock, checkAfterTheWrite(), () -> mockS3.deleteObject(
        b -> b.bucket(bucket).key("doc")), new S3DeleteObjectTagging(), task(bucket, etag));

    assertChangedDuringTask(run.result(), etag);
    assertTrue(run.result().resultMessage().contains("was deleted after it"),
        run.result()::toString);
  }

  @Test
  void aclOfAnObjectOverwrittenBeforeTheWriteFailsAsChangedDuringTask() {
    String bucket = Buckets.create(mockS3, "race");
    String etag = Buckets.put(mockS3, bucket, "doc", "as in the manifest");

    Run run = race(s3mock, EtagGuardTest::isAclPut, () -> Buckets.put(mockS3, bucket, "doc",
        "written between the check and the write"), publicRead(), task(bucket, etag));

    assertChangedDuringTask(run.result(), etag);
    assertEquals(List.of("HEAD", "PUT acl", "HEAD"), run.requests());
  }

  @Test
  void aclOfAnObjectOverwrittenAfterTheWriteFailsAsChangedDuringTask() {
    String bucket = Buckets.create(mockS3, "race");
    String etag = Buckets.put(mockS3, bucket, "doc", "as in the manifest");

    Run run = race(s3mock, checkAfterTheWrite(), () -> Buckets.put(mockS3, bucket,
        "doc", "written between the write and the check"), publicRead(), task(bucket, etag));

    assertChangedDuringTask(run.result(), etag);
    assertEquals(List.of("HEAD", "PUT acl", "HEAD"), run.requests());
  }

  @Test
  void unchangedObjectIsTaggedWithOneHeadBeforeTheWriteAndOneAfter() {
    String bucket = Buckets.create(mockS3, "race");
    String etag = Buckets.put(mockS3, bucket, "doc", "as in the manifest");

    Run run = race(s3mock, r -> false, () -> {}, tagging(), task(bucket, etag));

    assertTrue(run.result().succeeded(), run.result()::toString);
    assertEquals(List.of("HEAD", "PUT tagging", "HEAD"), run.requests());
    assertTrue(run.sent().get(0).hasHeader("If-Match") && run.sent().get(2).hasHeader("If-Match"));
    assertEquals(Map.of("stage", "done"), tags(mockS3, bucket, null));
  }

  @Test
  void unchangedObjectGetsItsAclWithOneHeadBeforeTheWriteAndOneAfter() {
    String bucket = Buckets.create(mockS3, "race");
    String etag = Buckets.put(mockS3, bucket, "doc", "as in the manifest");

    Run run = race(s3mock, r -> false, () -> {}, publicRead(), task(bucket, etag));

    assertTrue(run.result().succeeded(), run.result()::toString);
    assertEquals(List.of("HEAD", "PUT acl", "HEAD"), run.requests());
    assertTrue(mockS3.getObjectAcl(b -> b.bucket(bucket).key("doc")).grants().stream()
        .anyMatch(g -> ALL_USERS.equals(g.grantee().uri())));
  }

  @Test
  void unguardedTaskSendsOnlyTheWrite() {
    String bucket = Buckets.create(mockS3, "race");
    Buckets.put(mockS3, bucket, "doc", "anything");

    Run run = race(s3mock, r -> false, () -> {}, tagging(), task(bucket, null));

    assertTrue(run.result().succeeded(), run.result()::toString);
    assertEquals(List.of("PUT tagging"), run.requests());
  }

  @Test
  void onAVersionedBucketTheTagsGoToTheVersionTheGuardSawWithNoCheckAfter() {
    String bucket = Buckets.createVersioned(motoS3, "race");
    String etag = Buckets.put(motoS3, bucket, "doc", "as in the manifest");
    String seen = currentVersion(bucket);

    Run run = race(moto, EtagGuardTest::isTaggingPut, () -> Buckets.put(motoS3, bucket, "doc",
        "written between the check and the write"), tagging(), task(bucket, etag));

    assertTrue(run.result().succeeded(), run.result()::toString);
    assertEquals(List.of("HEAD", "PUT tagging"), run.requests());
    assertTrue(run.sent().get(1).query().contains("versionId=" + seen), run.sent().get(1)::query);
    assertEquals(Map.of("stage", "done"), tags(motoS3, bucket, seen));
    assertEquals(Map.of(), tags(motoS3, bucket, null));
  }

  @Test
  void retentionGoesToTheVersionTheGuardSawWhenTheObjectIsOverwrittenBeforeTheWrite() {
    String bucket = lockedBucket();
    String etag = Buckets.put(motoS3, bucket, "doc", "as in the manifest");
    String seen = currentVersion(bucket);

    Run run = race(moto, r -> r.method().equals("PUT") && hasQuery(r, "retention"),
        () -> Buckets.put(motoS3, bucket, "doc", "written between the check and the write"),
        retention(), task(bucket, etag));

    assertTrue(run.result().succeeded(), run.result()::toString);
    assertEquals(List.of("HEAD", "PUT retention"), run.requests());
    assertEquals(ObjectLockMode.GOVERNANCE, motoS3.headObject(b -> b.bucket(bucket).key("doc")
        .versionId(seen)).objectLockMode());
    assertNull(motoS3.headObject(b -> b.bucket(bucket).key("doc")).objectLockMode());
  }

  @Test
  void legalHoldOnATaskThatNamesItsVersionIsCheckedOnceBeforeTheWrite() {
    String bucket = lockedBucket();
    String etag = Buckets.put(motoS3, bucket, "doc", "as in the manifest");
    String version = currentVersion(bucket);

    Run run = race(moto, r -> r.method().equals("PUT") && hasQuery(r, "legal-hold"),
        () -> Buckets.put(motoS3, bucket, "doc", "written between the check and the write"),
        legalHold(), new ObjectTask(1, bucket, "doc", version, etag));

    assertTrue(run.result().succeeded(), run.result()::toString);
    assertEquals(List.of("HEAD", "PUT legal-hold"), run.requests());
    assertEquals("ON", motoS3.getObjectLegalHold(b -> b.bucket(bucket).key("doc")
        .versionId(version)).legalHold().statusAsString());
  }

  /** The task's result, the requests the proxy saw, and those requests in short. */
  private record Run(TaskResult result, List<Request> sent) {
    /** Each request as its method and, for a sub-resource, its name ("PUT tagging"). */
    List<String> requests() {
      return sent.stream().map(r -> r.method() + subResource(r)).toList();
    }
  }

  /** Runs one task through a proxy that runs {@code change} before the first matching request. */
  private static Run race(LocalS3Server server, Predicate<Request> when, Runnable change,
      ObjectOperation op, ObjectTask task) {
    try (var proxy = new ForwardingS3Proxy(server)) {
      proxy.beforeFirst(when, change);
      TaskResult result = runOne(op, ExecutorClients.get(proxy.clientSettings()), task);
      return new Run(result, proxy.requests());
    }
  }

  /**
   * The guard's HEAD after the write: the second HEAD of the task (the tests' request lists
   * show that the write came between the two).
   */
  private static Predicate<Request> checkAfterTheWrite() {
    AtomicInteger heads = new AtomicInteger();
    return r -> r.method().equals("HEAD") && heads.incrementAndGet() == 2;
  }

  private static void assertChangedDuringTask(TaskResult r, String etag) {
    assertEquals(TaskResult.FAILED, r.taskStatus(), r::toString);
    assertEquals(EtagGuard.OBJECT_CHANGED_DURING_TASK, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertEquals(1, r.attempts());
    assertTrue(r.resultMessage().startsWith("The object changed while the task ran: it had ETag "
        + etag + " before the write"), r.resultMessage());
    assertTrue(r.resultMessage().contains("the write may have landed on the newer object"),
        r.resultMessage());
  }

  private static boolean isTaggingPut(Request r) {
    return r.method().equals("PUT") && hasQuery(r, "tagging");
  }

  private static boolean isAclPut(Request r) {
    return r.method().equals("PUT") && hasQuery(r, "acl");
  }

  private static boolean hasQuery(Request r, String name) {
    return r.query() != null && List.of(r.query().split("&")).stream()
        .anyMatch(p -> p.equals(name) || p.startsWith(name + "="));
  }

  private static String subResource(Request r) {
    for (String name : List.of("tagging", "acl", "retention", "legal-hold")) {
      if (hasQuery(r, name)) {
        return " " + name;
      }
    }
    return "";
  }

  private static ObjectTask task(String bucket, String etag) {
    return new ObjectTask(1, bucket, "doc", null, etag);
  }

  private String currentVersion(String bucket) {
    return motoS3.headObject(b -> b.bucket(bucket).key("doc")).versionId();
  }

  private String lockedBucket() {
    String name = "lock-" + UUID.randomUUID().toString().substring(0, 8);
    motoS3.createBucket(b -> b.bucket(name).objectLockEnabledForBucket(true));
    return name;
  }

  private static Map<String, String> tags(S3Client s3, String bucket, String version) {
    return s3.getObjectTagging(b -> b.bucket(bucket).key("doc").versionId(version)).tagSet()
        .stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }

  private static S3PutObjectTagging tagging() {
    return new S3PutObjectTagging(List.of(new ObjectTag("stage", "done")));
  }

  private static S3PutObjectAcl publicRead() {
    return new S3PutObjectAcl(new S3SetObjectAclOperation(
        new S3AccessControlPolicy(null, "public-read")));
  }

  private static S3PutObjectRetention retention() {
    return new S3PutObjectRetention(new S3SetObjectRetentionOperation(false,
        new S3Retention(UNTIL, "GOVERNANCE")));
  }

  private static S3PutObjectLegalHold legalHold() {
    return new S3PutObjectLegalHold(new S3SetObjectLegalHoldOperation(
        new S3ObjectLockLegalHold("ON")));
  }
}
