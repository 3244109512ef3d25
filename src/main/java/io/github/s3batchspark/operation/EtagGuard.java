package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ObjectTask;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/**
 * The ETag guard for operations whose S3 request has no precondition header of its own
 * (tagging, ACLs, retention...): a conditional HEAD ({@code If-Match}) that fails with 412 when
 * the object changed, and that names the exact version it saw, so that the operation acts on
 * that version and not on one written in between (on a versioned bucket there is then no race).
 */
public final class EtagGuard {
  private EtagGuard() {}

  /**
   * Completes with the version the operation should address: the task's own version, or the
   * version the guard saw, or null (unversioned bucket, or no guard on the task).
   */
  public static CompletableFuture<String> versionToAct(ObjectTask task, S3AsyncClient s3) {
    if (!task.guarded()) {
      return CompletableFuture.completedFuture(task.versionId());
    }
    HeadObjectRequest head = HeadObjectRequest.builder()
        .bucket(task.bucket())
        .key(task.key())
        .versionId(task.versionId())
        .ifMatch(task.quotedEtag())
        .build();
    return s3.headObject(head).thenApply(r -> {
      if (task.versionId() != null) {
        return task.versionId();
      }
      String seen = r.versionId();
      return seen == null || seen.equals("null") ? null : seen;
    });
  }
}
