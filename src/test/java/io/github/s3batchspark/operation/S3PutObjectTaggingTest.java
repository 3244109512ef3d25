package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.operation.S3PutObjectTagging.ObjectTag;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * S3PutObjectTagging through the real runner, the tag set read back. The ETag guard and a
 * missing object are in TaskRunnerTest, a missing permission in MissingPermissionTest.
 */
class S3PutObjectTaggingTest {
  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();
  private final ExecutorClients clients = ExecutorClients.get(server.clientSettings());

  @Test
  void tagSetReplacesEveryTagTheObjectHad() {
    String bucket = Buckets.create(s3, "tag");
    putTagged(bucket, "doc");

    TaskResult r = runOne(new S3PutObjectTagging(List.of(new ObjectTag("team", "data"),
        new ObjectTag("stage", "done"))), clients, new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals(200, r.httpStatusCode());
    assertEquals(TaskResult.SUCCESSFUL, r.resultMessage());
    assertEquals(Map.of("team", "data", "stage", "done"), tags(bucket, "doc"));
  }

  @Test
  void emptyTagSetRemovesEveryTag() {
    String bucket = Buckets.create(s3, "untag");
    putTagged(bucket, "doc");

    TaskResult r = runOne(new S3PutObjectTagging(List.of()), clients,
        new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals(Map.of(), tags(bucket, "doc"));
  }

  private void putTagged(String bucket, String key) {
    s3.putObject(b -> b.bucket(bucket).key(key).tagging("old=1&keep=2"),
        RequestBody.fromString("body"));
  }

  private Map<String, String> tags(String bucket, String key) {
    return s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }
}
