package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** On S3Mock, which honours the If-Match of the guard's HEAD. */
class S3DeleteObjectTaggingTest {
  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();
  private final ExecutorClients clients = ExecutorClients.get(server.clientSettings());

  @Test
  void deletesEveryTagOfTheObject() {
    String bucket = Buckets.create(s3, "untag");
    String etag = putTagged(bucket, "doc");

    TaskResult r = runOne(new S3DeleteObjectTagging(), clients,
        new ObjectTask(1, bucket, "doc", null, etag));

    assertTrue(r.succeeded(), r::toString);
    assertEquals(200, r.httpStatusCode());
    assertTrue(s3.getObjectTagging(b -> b.bucket(bucket).key("doc")).tagSet().isEmpty());
  }

  @Test
  void tagDeletionOfChangedObjectIsRefusedByEtagGuard() {
    String bucket = Buckets.create(s3, "untag-guard");
    String oldEtag = putTagged(bucket, "doc");
    s3.putObjectTagging(b -> b.bucket(bucket).key("doc")
        .tagging(t -> t.tagSet(s -> s.key("team").value("data"))));
    s3.putObject(b -> b.bucket(bucket).key("doc").tagging("team=new"),
        RequestBody.fromString("changed after the inventory"));

    TaskResult r = runOne(new S3DeleteObjectTagging(), clients,
        new ObjectTask(1, bucket, "doc", null, oldEtag));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertEquals("new", s3.getObjectTagging(b -> b.bucket(bucket).key("doc")).tagSet().get(0)
        .value());
  }

  @Test
  void tagsOfAMissingObjectIsAFailedTaskWithS3sCode() {
    String bucket = Buckets.create(s3, "untag-missing");

    TaskResult r = runOne(new S3DeleteObjectTagging(), clients,
        new ObjectTask(1, bucket, "never-written", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("NoSuchKey", r.errorCode());
    assertEquals(404, r.httpStatusCode());
    assertEquals(1, r.attempts(), "a refusal is not retried");
  }

  private String putTagged(String bucket, String key) {
    return s3.putObject(b -> b.bucket(bucket).key(key).tagging("team=data&tier=hot"),
        RequestBody.fromString("body")).eTag();
  }
}
