package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;

/**
 * Deletes each listed object, or the listed version of it (S3DeleteObject, an extension: Amazon's
 * S3 Batch Operations has no delete, so users script it).
 *
 * <p>The guard is the store's own: DeleteObject with {@code If-Match}, so an object changed
 * after the manifest was made is refused atomically with 412 and kept. Tasks without a guard
 * need no header of their own, so they are deleted up to 1,000 at a time through
 * DeleteObjects ({@link DeleteBatches}), each still with its own result. On a versioned bucket a
 * delete without a version leaves a delete marker (the result message says so), as S3 does; a
 * delete naming a version removes that version for good. A key that does not exist is deleted
 * successfully, as S3 answers 204 for it, except under a guard, where S3 answers 404 (there is
 * no ETag to match). Object Lock's refusal (403 AccessDenied) is the task's failure.
 *
 * <p>Run the job with {@code --dry-run} first: it lists what would be deleted and deletes
 * nothing.
 */
public final class S3DeleteObject implements ObjectOperation {

  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(objects.onObjects("DeleteObjects", "s3:DeleteObject",
        "s3:DeleteObjectVersion"));
  }

  @Override
  public String name() {
    return "S3DeleteObject";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    if (!task.guarded()) {
      return DeleteBatches.delete(clients.s3(), task)
          .thenApply(d -> OperationResult.ok(message(task, d.deleteMarker(),
              d.deleteMarkerVersionId())));
    }
    return clients.s3().deleteObject(DeleteObjectRequest.builder()
            .bucket(task.bucket())
            .key(task.key())
            .versionId(task.versionId())
            .ifMatch(task.quotedEtag())
            .build())
        // S3 answers 204 No Content; the completion report shows 200 for every succeeded task.
        .thenApply(r -> OperationResult.ok(message(task, r.deleteMarker(), r.versionId())));
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would delete " + Describe.object(task);
  }

  private static String message(ObjectTask task, Boolean deleteMarker, String markerVersion) {
    if (task.versionId() != null) {
      return "Deleted version " + task.versionId();
    }
    if (Boolean.TRUE.equals(deleteMarker) && markerVersion != null) {
      return "Deleted: delete marker " + markerVersion + " is now the current version";
    }
    return "Deleted";
  }
}
