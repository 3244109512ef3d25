package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Unguarded deletes of one bucket gathered into DeleteObjects requests of up to 1,000 keys: a
 * batch leaves when it is full or a few milliseconds after its first task arrived, so the
 * runner's in-flight window fills batches without any task waiting long. Each task still gets
 * its own result: the key's entry of the answer, or its per-key error with S3's code.
 *
 * <p>One set of batches per S3 client and bucket in each executor JVM, shared by the
 * partitions running there.
 */
final class DeleteBatches {
  static final int MAX_KEYS = 1000;
  private static final long LINGER_MS = 5;
  private static final Map<S3AsyncClient, Map<String, DeleteBatches>> ALL =
      new ConcurrentHashMap<>();
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "s3batch-delete-batches");
        t.setDaemon(true);
        return t;
      });
  /** Per-key codes S3 may answer with, and the status a single DeleteObject would have had. */
  private static final Map<String, Integer> STATUS = Map.of("AccessDenied", 403,
      "NoSuchVersion", 404, "NoSuchKey", 404, "InvalidArgument", 400, "InternalError", 500,
      "SlowDown", 503, "ServiceUnavailable", 503);
  private static final Set<String> RETRYABLE = Set.of("InternalError", "SlowDown",
      "ServiceUnavailable");

  private record Pending(ObjectTask task, CompletableFuture<DeletedObject> result) {}

  /** The tasks of one DeleteObjects request; sent exactly once, by the timer or when full. */
  private static final class Batch {
    final List<Pending> items = new ArrayList<>();
    boolean sent;
  }

  private final S3AsyncClient s3;
  private final String bucket;
  private Batch open;

  private DeleteBatches(S3AsyncClient s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  static CompletableFuture<DeletedObject> delete(S3AsyncClient s3, ObjectTask task) {
    return ALL.computeIfAbsent(s3, c -> new ConcurrentHashMap<>())
        .computeIfAbsent(task.bucket(), b -> new DeleteBatches(s3, b))
        .add(task);
  }

  private CompletableFuture<DeletedObject> add(ObjectTask task) {
    CompletableFuture<DeletedObject> result = new CompletableFuture<>();
    Batch full;
    synchronized (this) {
      if (open == null) {
        Batch batch = new Batch();
        open = batch;
        TIMER.schedule(() -> send(batch), LINGER_MS, TimeUnit.MILLISECONDS);
      }
      open.items.add(new Pending(task, result));
      full = open.items.size() >= MAX_KEYS ? open : null;
    }
    if (full != null) {
      send(full);
    }
    return result;
  }

  private void send(Batch batch) {
    synchronized (this) {
      if (batch.sent) {
        return;
      }
      batch.sent = true;
      if (open == batch) {
        open = null;
      }
    }
    List<Pending> items = batch.items;
    s3.deleteObjects(DeleteObjectsRequest.builder().bucket(bucket).delete(d -> d.quiet(false)
            .objects(items.stream().map(p -> ObjectIdentifier.builder().key(p.task().key())
                .versionId(p.task().versionId()).build()).toList())).build())
        .whenComplete((response, failure) -> {
          if (failure != null) {
            items.forEach(p -> p.result().completeExceptionally(failure));
          } else {
            settle(items, response);
          }
        });
  }

  private static void settle(List<Pending> batch, DeleteObjectsResponse response) {
    for (Pending p : batch) {
      String key = p.task().key();
      String version = p.task().versionId();
      var error = response.errors().stream()
          .filter(e -> matches(e.key(), e.versionId(), key, version)).findFirst();
      var deleted = response.deleted().stream()
          .filter(d -> matches(d.key(), d.versionId(), key, version)).findFirst();
      if (error.isPresent()) {
        p.result().completeExceptionally(failure(error.get()));
      } else if (deleted.isPresent()) {
        p.result().complete(deleted.get());
      } else {
        // S3 names every key of a request that is not quiet; a key left out is the store's bug
        p.result().completeExceptionally(TaskFailure.permanent("InternalError", 500,
            "DeleteObjects did not answer for this key"));
      }
    }
  }

  /**
   * An entry answers a task when the keys are equal and so are the versions, where both have
   * one (some stores leave the version out of per-key errors).
   */
  private static boolean matches(String key, String version, String taskKey,
      String taskVersion) {
    return key.equals(taskKey)
        && (taskVersion == null || version == null || taskVersion.equals(version));
  }

  private static TaskFailure failure(S3Error e) {
    return new TaskFailure(e.code(), STATUS.getOrDefault(e.code(), 400), e.message(),
        RETRYABLE.contains(e.code()));
  }
}
