package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An operation's dry run: every task succeeds at once with what the operation would do to its
 * object ({@link ObjectOperation#describe}), and no request is sent. The runner runs it like any
 * other operation, so a dry run goes through the same manifest, partitions and result rows as
 * the real job, and never needs to know which operation it describes.
 */
public final class DryRun implements ObjectOperation {
  private final ObjectOperation operation;

  public DryRun(ObjectOperation operation) {
    this.operation = Objects.requireNonNull(operation, "operation");
  }

  /** A dry run sends no request: it needs nothing of the role. */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of();
  }

  @Override
  public String name() {
    return operation.name();
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    return CompletableFuture.completedFuture(OperationResult.ok(operation.describe(task)));
  }

  @Override
  public String describe(ObjectTask task) {
    return operation.describe(task);
  }
}
