package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The ETag guard for operations whose S3 request has no precondition header of its own
 * (tagging, ACLs, restore, retention, legal hold): S3 cannot refuse the write itself when the
 * object changed, so the guard checks around it.
 *
 * <p>Before the write, a conditional HEAD ({@code If-Match}) fails the task with 412
 * PreconditionFailed when the object no longer has the manifest's ETag, and names the version
 * it saw. When the write can address that exact version (a versioned bucket, or a task that
 * names its version), nothing written in between can be touched: a version never changes.
 * Otherwise (an unversioned bucket, or the null version of a suspended one) the object can be
 * overwritten between the HEAD and the write, so a second conditional HEAD follows the write;
 * if the object changed in between, the task fails with {@value #OBJECT_CHANGED_DURING_TASK}
 * (412), never succeeds, because the write may have landed on the newer object.
 *
 * <p>An unguarded task costs no HEAD at all, and a write to an exact version no HEAD after it.
 * The check compares ETags, so an object rewritten with the very same content (same ETag)
 * between the HEAD and the write is not noticed.
 */
public final class EtagGuard {
  /** The error code of a task whose object changed between the guard's two checks. */
  public static final String OBJECT_CHANGED_DURING_TASK = "ObjectChangedDuringTask";

  private EtagGuard() {}

  /**
   * The version the write should address, and whether that pins the object (so that no check
   * after the write is needed).
   */
  private record WriteTarget(String versionId, boolean pinned) {}

  /**
   * Sends the task's write through the guard and completes with the write's response.
   *
   * @param write the operation's request, given the version to address (null for the current
   *              object); it is called at most once, and only when the object still has the
   *              task's ETag
   */
  public static <R> CompletableFuture<R> write(ObjectTask task, S3AsyncClient s3,
      Function<String, CompletableFuture<R>> write) {
    if (!task.guarded()) {
      return write.apply(task.versionId());
    }
    return checkBefore(task, s3).thenCompose(target -> write.apply(target.versionId())
        .thenCompose(written -> target.pinned() ? CompletableFuture.completedFuture(written)
            : checkAfter(task, s3).thenApply(unchanged -> written)));
  }

  /** Fails with S3's 412 when the object changed since the manifest; else where to write. */
  private static CompletableFuture<WriteTarget> checkBefore(ObjectTask task, S3AsyncClient s3) {
    return s3.headObject(conditionalHead(task)).thenApply(r -> {
      if (task.versionId() != null) {
        return new WriteTarget(task.versionId(), true);
      }
      String seen = r.versionId();
      // the null version of a suspended bucket is overwritten in place, like an unversioned key
      boolean versioned = seen != null && !seen.equals("null");
      return new WriteTarget(versioned ? seen : null, versioned);
    });
  }

  /**
   * Fails with {@value #OBJECT_CHANGED_DURING_TASK} when the current object no longer has the
   * task's ETag (or is gone). Other failures (throttling, a broken connection) pass through as
   * they are, for the runner to retry the task: the writes guarded here can be repeated.
   */
  private static CompletableFuture<Void> checkAfter(ObjectTask task, S3AsyncClient s3) {
    return s3.headObject(conditionalHead(task)).handle((head, failure) -> {
      if (failure == null) {
        return null;
      }
      Throwable cause = unwrap(failure);
      if (cause instanceof S3Exception e && (e.statusCode() == 412 || e.statusCode() == 404)) {
        throw changedDuringTask(task, e.statusCode() == 404);
      }
      throw failure instanceof CompletionException c ? c : new CompletionException(failure);
    });
  }

  private static HeadObjectRequest conditionalHead(ObjectTask task) {
    return HeadObjectRequest.builder()
        .bucket(task.bucket())
        .key(task.key())
        .versionId(task.versionId())
        .ifMatch(task.quotedEtag())
        .build();
  }

  private static TaskFailure changedDuringTask(ObjectTask task, boolean deleted) {
    String now = deleted ? "was deleted" : "no longer has ETag " + task.quotedEtag();
    return TaskFailure.permanent(OBJECT_CHANGED_DURING_TASK, 412, "The object changed while "
        + "the task ran: it had ETag " + task.quotedEtag() + " before the write and " + now
        + " after it, so the write may have landed on the newer object; check that object "
        + "(the bucket keeps no versions, so the write could not be pinned to one)");
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
