package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.model.DeleteObjectTaggingRequest;

/**
 * Removes the whole tag set of each object (S3DeleteObjectTagging).
 *
 * <p>DeleteObjectTagging has no precondition header, so a guarded task goes through the
 * {@link EtagGuard}: the tags of exactly the version the guard saw are deleted, or, on a bucket
 * that keeps no versions, the ETag is checked again after the delete.
 */
public final class S3DeleteObjectTagging implements ObjectOperation {

  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(objects.onObjects("DeleteObjectTags", "s3:DeleteObjectTagging",
        "s3:DeleteObjectVersionTagging"));
  }

  @Override
  public String name() {
    return "S3DeleteObjectTagging";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    return EtagGuard.write(task, clients.s3(), version -> clients.s3().deleteObjectTagging(
            DeleteObjectTaggingRequest.builder()
                .bucket(task.bucket())
                .key(task.key())
                .versionId(version)
                .build()))
        // S3 answers 204 No Content; the completion report shows 200 for every succeeded task.
        .thenApply(r -> OperationResult.ok(null));
  }
}
