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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
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

  private String versioned(String purpose) {
    String bucket = Buckets.create(s3, purpose);
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(
        v -> v.status(BucketVersioningStatus.ENABLED)));
    return bucket;
  }

  private void replicateTo(String source, String target) {
    s3.putBucketReplication(b -> b.bucket(source).replicationConfiguration(c -> c
        .role("arn:aws:iam::123456789012:role/replication")
        .rules(rule -> rule.id("all").priority(1).status(ReplicationRuleStatus.ENABLED)
            .filter(f -> f.prefix(""))
            .deleteMarkerReplication(d -> d.status("Disabled"))
            .destination(d -> d.bucket("arn:aws:s3:::" + target)
                .storageClass(StorageClass.STANDARD_IA)))));
  }
}
