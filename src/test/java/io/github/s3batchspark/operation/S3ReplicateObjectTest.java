package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.RunnerSettings;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.OperationRun;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * S3ReplicateObject through the real runner, the replica read back.
 *
 * <p>moto, because it keeps a bucket's replication configuration and answers
 * ReplicationConfigurationNotFoundError without one (S3Mock has no replication). moto drops a
 * rule's prefix filter, so filters are not tested against a server.
 */
class S3ReplicateObjectTest {
  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client s3 = moto.client();
  private final ExecutorClients clients = ExecutorClients.get(moto.clientSettings());
  private final S3ReplicateObject replicate = new S3ReplicateObject();

  @Test
  void objectIsCopiedToTheRulesDestinationWithEverythingItHas() {
    String source = versioned("repl-src");
    String target = versioned("repl-dst");
    replicateTo(source, target);
    s3.putObject(b -> b.bucket(source).key("logs/day 1.txt").contentType("text/plain")
            .metadata(Map.of("team", "ops")).tagging("kind=log")
            .grantRead("uri=\"" + ALL_USERS + "\""),
        RequestBody.fromString("log line"));

    TaskResult r = runOne(replicate, clients, new ObjectTask(1, source, "logs/day 1.txt", null,
        null));

    assertTrue(r.succeeded(), r::toString);
    assertTrue(r.resultMessage().startsWith("Replicated by rule all: Copied to s3://" + target
        + "/logs/day 1.txt"), r.resultMessage());
    HeadObjectResponse replica = s3.headObject(b -> b.bucket(target).key("logs/day 1.txt"));
    assertEquals("text/plain", replica.contentType());
    assertEquals(Map.of("team", "ops"), replica.metadata());
    assertEquals(StorageClass.STANDARD_IA.toString(), replica.storageClassAsString());
    assertEquals(Map.of("kind", "log"), s3.getObjectTagging(b -> b.bucket(target)
        .key("logs/day 1.txt")).tagSet().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value())));
    assertTrue(s3.getObjectAcl(b -> b.bucket(target).key("logs/day 1.txt")).grants().stream()
        .anyMatch(g -> ALL_USERS.equals(g.grantee().uri())), "the public-read grant survives");
    assertEquals("log line", s3.getObjectAsBytes(b -> b.bucket(target).key("logs/day 1.txt"))
        .asUtf8String());
  }

  @Test
  void bucketWithoutReplicationConfigurationIsAFailedTaskWithS3sCode() {
    String source = versioned("repl-none");
    Buckets.put(s3, source, "doc", "x");

    TaskResult r = runOne(replicate, clients, new ObjectTask(1, source, "doc", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("ReplicationConfigurationNotFoundError", r.errorCode());
    assertEquals(404, r.httpStatusCode());
  }

  @Test
  void changedObjectIsRefusedByEtagGuardAndNotReplicated() {
    String source = versioned("repl-src");
    String target = versioned("repl-dst");
    replicateTo(source, target);
    String oldEtag = Buckets.put(s3, source, "doc", "first");
    Buckets.put(s3, source, "doc", "second");

    TaskResult r = runOne(replicate, clients, new ObjectTask(1, source, "doc", null, oldEtag));

    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertTrue(s3.listObjectsV2(b -> b.bucket(target)).contents().isEmpty());
  }

  @Test
  void olderVersionThatIsRetriedKeepsItsTurnAheadOfTheNewerOnes() {
    String source = versioned("repl-src");
    String target = versioned("repl-dst");
    replicateTo(source, target);
    List<String> versions = Stream.of("first", "second", "third")
        .map(body -> s3.putObject(b -> b.bucket(source).key("doc"), RequestBody.fromString(body))
            .versionId())
        .toList();
    ObjectTask[] tasks = IntStream.range(0, versions.size())
        .mapToObj(i -> new ObjectTask(i, source, "doc", versions.get(i), null))
        .toArray(ObjectTask[]::new);
    RunnerSettings quickRetries = RunnerSettings.defaults().withRetries(3, 200, 200);

    List<TaskResult> results;
    try (var proxy = new ForwardingS3Proxy(moto)) {
      // the oldest version's copy meets 503 SlowDown once: the runner retries it ~200 ms later,
      // while the newer versions are already in the window
      proxy.refuseFirst(r -> r.method().equals("PUT")
          && String.valueOf(r.header("x-amz-copy-source")).contains(versions.get(0)),
          503, "SlowDown");
      results = OperationRun.run(replicate,
          ExecutorClients.get(proxy.clientSettings()), quickRetries, tasks);
    }

    assertTrue(results.stream().allMatch(TaskResult::succeeded), results::toString);
    assertEquals(2, results.stream().filter(r -> r.taskId() == 0).findFirst().orElseThrow()
        .attempts(), "the oldest version was refused once, then retried");
    assertEquals(List.of("third", "second", "first"), contentsNewestFirst(target, "doc"));
  }

  private List<String> contentsNewestFirst(String bucket, String key) {
    return s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream()
        .map(v -> s3.getObjectAsBytes(g -> g.bucket(bucket).key(key).versionId(v.versionId()))
            .asUtf8String())
        .toList();
  }

  private String versioned(String purpose) {
    return Buckets.createVersioned(s3, purpose);
  }

  private void replicateTo(String source, String target) {
    Buckets.replicateEverything(s3, source, target, StorageClass.STANDARD_IA);
  }
}
