package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.operation.S3PutObjectTagging;
import io.github.s3batchspark.operation.S3PutObjectTagging.ObjectTag;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class TaskRunnerTest {
  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();
  private final ExecutorClients clients = ExecutorClients.get(server.clientSettings());

  @Test
  void everyTaskEndsAsExactlyOneResultWithManyInFlight() {
    String bucket = Buckets.create(s3, "runner");
    List<ObjectTask> tasks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Buckets.put(s3, bucket, "k" + i, "v" + i);
      tasks.add(new ObjectTask(i, bucket, "k" + i, null, null));
    }
    var op = new S3PutObjectTagging(List.of(new ObjectTag("team", "data")));

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(op, clients, RunnerSettings.defaults().withInFlight(32))
        .run(tasks.iterator()).forEachRemaining(results::add);

    assertEquals(300, results.size());
    Set<Long> ids = results.stream().map(TaskResult::taskId).collect(Collectors.toSet());
    assertEquals(300, new HashSet<>(ids).size());
    assertTrue(results.stream().allMatch(TaskResult::succeeded), () -> results.get(0).toString());
    assertEquals("data", s3.getObjectTagging(b -> b.bucket(bucket).key("k299")).tagSet().get(0)
        .value());
  }

  @Test
  void taggingOfChangedObjectIsRefusedByEtagGuard() {
    String bucket = Buckets.create(s3, "guard");
    String oldEtag = Buckets.put(s3, bucket, "doc", "first");
    Buckets.put(s3, bucket, "doc", "second, after the inventory");
    var op = new S3PutObjectTagging(List.of(new ObjectTag("a", "b")));

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(op, clients, RunnerSettings.defaults())
        .run(List.of(new ObjectTask(0, bucket, "doc", null, oldEtag)).iterator())
        .forEachRemaining(results::add);

    TaskResult r = results.get(0);
    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertTrue(s3.getObjectTagging(b -> b.bucket(bucket).key("doc")).tagSet().isEmpty());
  }

  @Test
  void missingObjectFailsAtOnceWithoutRetries() {
    String bucket = Buckets.create(s3, "missing");
    var op = new S3PutObjectTagging(List.of(new ObjectTag("a", "b")));
    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(op, clients, RunnerSettings.defaults())
        .run(List.of(new ObjectTask(7, bucket, "nope", null, null)).iterator())
        .forEachRemaining(results::add);
    assertEquals(TaskResult.FAILED, results.get(0).taskStatus());
    assertEquals(404, results.get(0).httpStatusCode());
    assertEquals(1, results.get(0).attempts());
  }
}
