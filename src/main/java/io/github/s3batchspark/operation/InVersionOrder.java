package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.execution.RunnerSettings;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskFailure;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the tasks of one object (bucket and key) one at a time, each only once the one before it
 * has ended for good, in the order the partition hands them over; tasks of different objects run
 * side by side as usual. The job hash-partitions tasks by key and sorts each object's tasks
 * oldest version first, so every version of an object passes through one instance (one Spark
 * task), in the order of its versions.
 *
 * <p>Ended for good includes the runner's retries: a task that failed with an error the runner
 * retries ({@link TaskError#retryable()}, with attempts left under
 * {@link RunnerSettings#maxAttempts()}) keeps its object's turn until the retry comes back, so a
 * later version never overtakes it. Should the retry not come back within twice the longest
 * backoff plus a minute, the turn passes on, and the late retry fails with
 * {@value #LATER_VERSION_STARTED} rather than write an older version over a newer one.
 *
 * <p>Only objects with a task in flight or waiting have an entry: nothing per object is kept
 * once its tasks are done.
 */
public final class InVersionOrder implements ObjectOperation {
  /** The error code of a retry that came back after the object's next version had started. */
  public static final String LATER_VERSION_STARTED = "LaterVersionStarted";

  private static final CompletableFuture<Void> NOTHING_BEFORE =
      CompletableFuture.completedFuture(null);

  private final ObjectOperation operation;
  private final RunnerSettings runner;
  // per instance, so per Spark task: built where the tasks run, guarded by this
  private transient Map<ObjectId, Line> lines;
  private transient Set<Late> late;

  private record ObjectId(String bucket, String key) {}

  private record Late(ObjectId object, long taskId) {}

  /** One task's turn; {@code ended} completes when the task has finished for good. */
  private static final class Turn {
    final long taskId;
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    int attempts;

    Turn(long taskId) {
      this.taskId = taskId;
    }
  }

  /** The tasks of one object: the end of the last turn queued, and a turn awaiting its retry. */
  private static final class Line {
    CompletableFuture<Void> last = NOTHING_BEFORE;
    Turn awaitingRetry;
  }

  public InVersionOrder(ObjectOperation operation, RunnerSettings runner) {
    this.operation = Objects.requireNonNull(operation, "operation");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return operation.name();
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    ObjectId object = new ObjectId(task.bucket(), task.key());
    Turn turn;
    CompletableFuture<Void> before;
    synchronized (this) {
      if (late().remove(new Late(object, task.taskId()))) {
        return CompletableFuture.failedFuture(laterVersionStarted(task));
      }
      Line line = lines().computeIfAbsent(object, o -> new Line());
      if (line.awaitingRetry != null && line.awaitingRetry.taskId == task.taskId()) {
        turn = line.awaitingRetry;
        line.awaitingRetry = null;
        before = NOTHING_BEFORE;
      } else {
        turn = new Turn(task.taskId());
        before = line.last;
        line.last = turn.ended;
      }
    }
    return before.thenCompose(ignored -> attempt(object, turn, task, clients));
  }

  @Override
  public String describe(ObjectTask task) {
    return operation.describe(task);
  }

  @Override
  public boolean readsManifestColumns() {
    return operation.readsManifestColumns();
  }

  @Override
  public boolean keepsVersionOrder() {
    return true;
  }

  private CompletableFuture<OperationResult> attempt(ObjectId object, Turn turn,
      ObjectTask task, ExecutorClients clients) {
    int attempt;
    synchronized (this) {
      attempt = ++turn.attempts;
    }
    CompletableFuture<OperationResult> result;
    try {
      result = operation.apply(task, clients);
    } catch (RuntimeException thrownBeforeAnyRequest) {
      result = CompletableFuture.failedFuture(thrownBeforeAnyRequest);
    }
    // runs before the runner sees the outcome, so a retry always finds its turn held
    return result.whenComplete((r, failure) -> afterAttempt(object, turn, attempt, failure));
  }

  private void afterAttempt(ObjectId object, Turn turn, int attempt, Throwable failure) {
    boolean retryComing = failure != null && TaskError.classify(failure).retryable()
        && attempt < runner.maxAttempts();
    if (!retryComing) {
      endTurn(object, turn);
      return;
    }
    synchronized (this) {
      lines().get(object).awaitingRetry = turn;
    }
    long hold = 2 * runner.maxBackoffMs() + 60_000;
    CompletableFuture.delayedExecutor(hold, TimeUnit.MILLISECONDS)
        .execute(() -> expire(object, turn, attempt));
  }

  /** The retry of {@code attempt} never came back: the next task of the object goes on. */
  private void expire(ObjectId object, Turn turn, int attempt) {
    synchronized (this) {
      Line line = lines().get(object);
      if (line == null || line.awaitingRetry != turn || turn.attempts != attempt) {
        return;
      }
      line.awaitingRetry = null;
      late().add(new Late(object, turn.taskId));
    }
    endTurn(object, turn);
  }

  private void endTurn(ObjectId object, Turn turn) {
    synchronized (this) {
      Line line = lines().get(object);
      if (line != null && line.last == turn.ended) {
        lines().remove(object);
      }
    }
    turn.ended.complete(null);
  }

  private static TaskFailure laterVersionStarted(ObjectTask task) {
    return TaskFailure.permanent(LATER_VERSION_STARTED, 409, "The retry of this task came back "
        + "after the next task of s3://" + task.bucket() + "/" + task.key() + " had started, so "
        + "it was not run: running it now would put an older version over a newer one. Run a "
        + "new job for this version if it is still needed");
  }

  private Map<ObjectId, Line> lines() {
    if (lines == null) {
      lines = new HashMap<>();
    }
    return lines;
  }

  private Set<Late> late() {
    if (late == null) {
      late = new HashSet<>();
    }
    return late;
  }
}
