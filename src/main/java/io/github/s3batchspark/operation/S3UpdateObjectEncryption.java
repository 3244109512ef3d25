package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.job.spec.S3CopyObjectOperation;
import io.github.s3batchspark.job.spec.S3UpdateObjectEncryptionOperation;
import io.github.s3batchspark.job.spec.S3UpdateObjectEncryptionSSEKMS;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Re-encrypts each object with SSE-KMS under the job's key (S3UpdateObjectEncryption), keeping
 * everything else: content, metadata, tags, storage class, ACL grants and Object Lock settings.
 *
 * <p>The SDK this build uses has no UpdateObjectEncryption request, so the object is copied onto
 * itself by {@link S3PutObjectCopy} (in parts when it is large). CopyObject keeps metadata and
 * tags by its COPY directives; what it would reset is read first (HEAD for the storage class
 * and Object Lock, GetObjectAcl for the grants) and given to the copy. The copy is pinned to
 * the ETag and version the HEAD saw, so an object written in between is refused (412), never
 * re-encrypted with the newer content's settings mixed in.
 */
public final class S3UpdateObjectEncryption implements ObjectOperation {
  private static final String FIELD = "Operation.S3UpdateObjectEncryption.ObjectEncryption.SSEKMS";

  private final S3UpdateObjectEncryptionSSEKMS kms;

  public S3UpdateObjectEncryption(S3UpdateObjectEncryptionOperation spec) {
    Objects.requireNonNull(spec, "S3UpdateObjectEncryption");
    this.kms = SpecField.required(FIELD, spec.objectEncryption() == null ? null
        : spec.objectEncryption().ssekms());
    SpecField.required(FIELD + ".KMSKeyArn", kms.kmsKeyArn());
  }

  /** A copy of each object onto itself, under the job's key, keeping tags, ACL and lock. */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(
        objects.onObjects("ReadObjectsToReEncryptThem", "s3:GetObject", "s3:GetObjectVersion",
            "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:GetObjectAcl",
            "s3:GetObjectVersionAcl"),
        objects.onObjects("RewriteObjectsInPlace", "s3:PutObject", "s3:PutObjectAcl",
            "s3:PutObjectTagging", "s3:PutObjectRetention", "s3:PutObjectLegalHold",
            "s3:AbortMultipartUpload"),
        PolicyStatement.allow("EncryptWithTheJobsKmsKey", List.of(kms.kmsKeyArn()),
            "kms:Decrypt", "kms:GenerateDataKey"));
  }

  @Override
  public String name() {
    return "S3UpdateObjectEncryption";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    S3AsyncClient s3 = clients.s3();
    return s3.headObject(HeadObjectRequest.builder().bucket(task.bucket()).key(task.key())
            .versionId(task.versionId()).ifMatch(task.quotedEtag()).build())
        .thenCompose(head -> s3.getObjectAcl(a -> a.bucket(task.bucket()).key(task.key())
                .versionId(versionOf(task, head)))
            .thenCompose(acl -> copyInPlace(task, head, acl).apply(pinned(task, head), clients)))
        .thenApply(copied -> OperationResult.ok("Encrypted with SSE-KMS key " + kms.kmsKeyArn()
            + bucketKeyText() + ": " + copied.resultMessage()));
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would re-encrypt " + Describe.object(task) + " with SSE-KMS key " + kms.kmsKeyArn()
        + bucketKeyText() + ", keeping its metadata, tags, storage class, ACL and Object Lock";
  }

  /** The task as the copy sees it: the version and ETag the HEAD found. */
  private static ObjectTask pinned(ObjectTask task, HeadObjectResponse head) {
    return new ObjectTask(task.taskId(), task.bucket(), task.key(), versionOf(task, head),
        head.eTag());
  }

  private static String versionOf(ObjectTask task, HeadObjectResponse head) {
    if (task.versionId() != null) {
      return task.versionId();
    }
    return head.versionId() == null || head.versionId().equals("null") ? null : head.versionId();
  }

  private S3PutObjectCopy copyInPlace(ObjectTask task, HeadObjectResponse head,
      GetObjectAclResponse acl) {
    return new S3PutObjectCopy(new S3CopyObjectOperation(
        "arn:aws:s3:::" + task.bucket(), null, KeptGrants.of(acl), "COPY", null, null, null, null,
        null, head.storageClassAsString() == null ? "STANDARD" : head.storageClassAsString(),
        null, kms.kmsKeyArn(), null,
        head.objectLockLegalHoldStatusAsString(), head.objectLockModeAsString(),
        head.objectLockRetainUntilDate(), kms.bucketKeyEnabled(), null));
  }

  private String bucketKeyText() {
    return kms.bucketKeyEnabled() == null ? ""
        : Boolean.TRUE.equals(kms.bucketKeyEnabled()) ? " (bucket key on)" : " (bucket key off)";
  }
}
