package io.github.s3batchspark.execution;

import io.github.s3batchspark.operation.ObjectOperation;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one operation over the tasks of one partition with many requests in flight.
 *
 * <p>The runner is a pull-based iterator: each call to {@code hasNext} tops the window up from
 * the input, then waits for the next task to end. So a partition holds at most
 * {@code inFlight} tasks in memory, keeps that many requests going, and hands Spark one
 * {@link TaskResult} per input task, in completion order. Retryable errors are retried with
 * exponential backoff and full jitter while the task keeps its slot; everything else fails the
 * task at once. The runner knows nothing about the operation it runs.
 */
public final class TaskRunner {
  private static final ScheduledExecutorService RETRY_TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "s3batch-retry-timer");
        t.setDaemon(true);
        return t;
      });

  private final ObjectOperation operation;
  private final ExecutorClients clients;
  private final RunnerSettings settings;

  public TaskRunner(ObjectOperation operation, ExecutorClients clients, RunnerSettings settings) {
    this.operation = operation;
    this.clients = clients;
    this.settings = settings;
  }

  public Iterator<TaskResult> run(Iterator<ObjectTask> tasks) {
    return new Window(tasks);
  }

  private final class Window implements Iterator<TaskResult> {
    private final Iterator<ObjectTask> input;
    private final BlockingQueue<TaskResult> done = new LinkedBlockingQueue<>();
    private int inFlight;

    Window(Iterator<ObjectTask> input) {
      this.input = input;
    }

    @Override
    public boolean hasNext() {
      while (inFlight < settings.inFlight() && input.hasNext()) {
        inFlight++;
        attempt(input.next(), 1, System.currentTimeMillis());
      }
      return inFlight > 0;
    }

    @Override
    public TaskResult next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      try {
        TaskResult result = done.take();
        inFlight--;
        return result;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for S3 requests", e);
      }
    }

    private void attempt(ObjectTask task, int attempt, long startedAt) {
      CompletableFuture<OperationResult> future;
      try {
        future = operation.apply(task, clients);
      } catch (RuntimeException thrownBeforeAnyRequest) {
        future = CompletableFuture.failedFuture(thrownBeforeAnyRequest);
      }
      future.whenComplete((result, failure) -> {
        if (failure == null) {
          done.add(TaskResult.succeeded(task, result, attempt, startedAt));
          return;
        }
        TaskError error = TaskError.classify(failure);
        if (error.retryable() && attempt < settings.maxAttempts()) {
          RETRY_TIMER.schedule(() -> attempt(task, attempt + 1, startedAt),
              backoffMillis(attempt), TimeUnit.MILLISECONDS);
        } else {
          done.add(TaskResult.failed(task, error, attempt, startedAt));
        }
      });
    }

    private long backoffMillis(int attempt) {
      long ceiling = Math.min(settings.maxBackoffMs(),
          settings.baseBackoffMs() << Math.min(attempt - 1, 20));
      return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
  }
}
