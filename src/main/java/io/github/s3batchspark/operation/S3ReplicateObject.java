package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.execution.TaskFailure;
import io.github.s3batchspark.job.spec.S3CopyObjectOperation;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Copies each object to the destination that its bucket's replication configuration names
 * (S3ReplicateObject, as Batch Replication does for existing objects): the enabled rule of
 * highest priority whose filter (prefix, tags) matches the object, its destination bucket and
 * storage class, and its replica KMS key. The replica keeps the key, content, metadata, tags,
 * ACL grants, Object Lock settings and encryption of the source.
 *
 * <p>The replication configuration is read once per bucket in each executor JVM. A bucket
 * without one, or an object no rule matches, is a failed task with S3's code
 * (ReplicationConfigurationNotFoundError) or ours (NoMatchingReplicationRule). The copy is
 * pinned to the ETag the HEAD saw (the manifest's, when it gave one), like every copy.
 *
 * <p>When the manifest lists several versions of one object, a versioned destination ends with
 * the source's version stack: the versions are replicated one at a time, oldest first, so the
 * source's latest version is the destination's latest ({@link #keepsVersionOrder}; the job
 * sorts them by the inventory's {@code is_latest} and {@code last_modified_date}, a CSV
 * manifest's in the order it lists them, and the runner gives them their turns one by one).
 */
public final class S3ReplicateObject implements ObjectOperation {
  private static final Map<String, CompletableFuture<ReplicationConfiguration>> CONFIGS =
      new ConcurrentHashMap<>();

  /**
   * The sources' configuration, content, tags and ACL; the destinations and replica keys are
   * named by each bucket's replication configuration, which the job spec does not show: the
   * Sids say to narrow them.
   */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(
        objects.onBuckets("ReadReplicationConfiguration", "s3:GetReplicationConfiguration"),
        objects.onObjects("ReadSourceObjects", "s3:GetObject", "s3:GetObjectVersion",
            "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:GetObjectAcl",
            "s3:GetObjectVersionAcl"),
        PolicyStatement.allow("WriteReplicasInAnyBucketNarrowToTheReplicationDestinations",
            List.of("arn:aws:s3:::*"), "s3:PutObject", "s3:PutObjectAcl",
            "s3:PutObjectTagging", "s3:PutObjectRetention", "s3:PutObjectLegalHold",
            "s3:AbortMultipartUpload"),
        PolicyStatement.allow("UseAnyKmsKeyNarrowToTheSourceAndReplicaKeys",
            List.of("arn:aws:kms:*:*:key/*"), "kms:Decrypt", "kms:GenerateDataKey"));
  }

  @Override
  public String name() {
    return "S3ReplicateObject";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    S3AsyncClient s3 = clients.s3();
    return s3.headObject(HeadObjectRequest.builder().bucket(task.bucket()).key(task.key())
            .versionId(task.versionId()).ifMatch(task.quotedEtag()).build())
        .thenCompose(head -> configuration(task.bucket(), s3)
            .thenCompose(config -> ruleFor(task, config, head, s3))
            .thenCompose(rule -> s3.getObjectAcl(a -> a.bucket(task.bucket()).key(task.key())
                    .versionId(versionOf(task, head)))
                .thenCompose(acl -> replicate(task, head, rule, acl, clients))));
  }

  @Override
  public boolean keepsVersionOrder() {
    return true;
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would replicate " + Describe.object(task) + " to the destination of the first "
        + "matching rule of its bucket's replication configuration";
  }

  private CompletableFuture<OperationResult> replicate(ObjectTask task, HeadObjectResponse head,
      ReplicationRule rule, GetObjectAclResponse acl, ExecutorClients clients) {
    var destination = rule.destination();
    boolean kms = head.serverSideEncryption() == ServerSideEncryption.AWS_KMS;
    String replicaKey = destination.encryptionConfiguration() == null ? null
        : destination.encryptionConfiguration().replicaKmsKeyID();
    String storageClass = destination.storageClassAsString() != null
        ? destination.storageClassAsString() : head.storageClassAsString();
    S3PutObjectCopy copy = new S3PutObjectCopy(new S3CopyObjectOperation(
        destination.bucket(), null, KeptGrants.of(acl), "COPY", null, null, null, null, null,
        storageClass, null, kms ? (replicaKey != null ? replicaKey : head.ssekmsKeyId()) : null,
        null, head.objectLockLegalHoldStatusAsString(), head.objectLockModeAsString(),
        head.objectLockRetainUntilDate(), kms ? head.bucketKeyEnabled() : null, null));
    ObjectTask pinned = new ObjectTask(task.taskId(), task.bucket(), task.key(),
        versionOf(task, head), head.eTag());
    return copy.apply(pinned, clients).thenApply(r -> OperationResult.ok("Replicated by rule "
        + (rule.id() == null ? "(no id)" : rule.id()) + ": " + r.resultMessage()));
  }

  private static CompletableFuture<ReplicationConfiguration> configuration(String bucket,
      S3AsyncClient s3) {
    CompletableFuture<ReplicationConfiguration> config = CONFIGS.computeIfAbsent(bucket,
        b -> s3.getBucketReplication(r -> r.bucket(b)).thenApply(r -> r.replicationConfiguration()));
    // a failed read is not kept: the next task asks again (the runner retries throttling)
    config.whenComplete((c, failure) -> {
      if (failure != null) {
        CONFIGS.remove(bucket, config);
      }
    });
    return config;
  }

  /** The enabled rule of highest priority that matches the object's key and tags. */
  private static CompletableFuture<ReplicationRule> ruleFor(ObjectTask task,
      ReplicationConfiguration config, HeadObjectResponse head, S3AsyncClient s3) {
    List<ReplicationRule> enabled = config.rules().stream()
        .filter(r -> r.status() == ReplicationRuleStatus.ENABLED)
        .sorted(Comparator.comparing((ReplicationRule r) -> r.priority() == null ? 0
            : r.priority()).reversed())
        .toList();
    boolean tagsNeeded = enabled.stream().anyMatch(r -> !ReplicationFilter.tags(r).isEmpty());
    CompletableFuture<Map<String, String>> tags = !tagsNeeded
        ? CompletableFuture.completedFuture(Map.of())
        : s3.getObjectTagging(t -> t.bucket(task.bucket()).key(task.key())
                .versionId(versionOf(task, head)))
            .thenApply(r -> r.tagSet().stream().collect(Collectors.toMap(Tag::key, Tag::value)));
    return tags.thenApply(objectTags -> enabled.stream()
        .filter(r -> ReplicationFilter.matches(r, task.key(), objectTags))
        .findFirst()
        .orElseThrow(() -> TaskFailure.permanent("NoMatchingReplicationRule", 400,
            "No enabled rule of the replication configuration of " + task.bucket()
                + " matches this object; it was not replicated")));
  }

  private static String versionOf(ObjectTask task, HeadObjectResponse head) {
    if (task.versionId() != null) {
      return task.versionId();
    }
    return head.versionId() == null || head.versionId().equals("null") ? null : head.versionId();
  }
}
