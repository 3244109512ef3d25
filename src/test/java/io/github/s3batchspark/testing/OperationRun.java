package io.github.s3batchspark.testing;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.RunnerSettings;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.execution.TaskRunner;
import io.github.s3batchspark.operation.ObjectOperation;
import java.util.ArrayList;
import java.util.List;

/** Runs an operation over a few tasks through the real {@code TaskRunner}, as an executor would. */
public final class OperationRun {
  private OperationRun() {}

  public static List<TaskResult> run(ObjectOperation op, ExecutorClients clients,
      ObjectTask... tasks) {
    return run(op, clients, RunnerSettings.defaults(), tasks);
  }

  /** With the runner's window and retries set (short backoff keeps retry tests fast). */
  public static List<TaskResult> run(ObjectOperation op, ExecutorClients clients,
      RunnerSettings settings, ObjectTask... tasks) {
    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(op, clients, settings)
        .run(List.of(tasks).iterator()).forEachRemaining(results::add);
    return results;
  }

  /** The result of a single task. */
  public static TaskResult runOne(ObjectOperation op, ExecutorClients clients, ObjectTask task) {
    return run(op, clients, task).get(0);
  }
}
