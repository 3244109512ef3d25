package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One S3 Batch Operations operation, applied to one object at a time.
 *
 * <p>Implementations are built on the driver from the job spec, shipped to the executors, and
 * called many times concurrently. {@link #apply} only starts the requests and returns at once;
 * the future completes with the result or fails with the SDK's exception (or a
 * {@link io.github.s3batchspark.execution.TaskFailure}), which the runner classifies and
 * retries. When the task carries an ETag, the operation must not change an object whose current
 * ETag differs; where S3 has no precondition on the write, {@link EtagGuard#write} makes sure
 * that such a task at least never reports success.
 */
public interface ObjectOperation extends Serializable {

  /** The name of the operation as the s3control API spells it, for example S3PutObjectTagging. */
  String name();

  CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients);

  /**
   * The IAM permissions that this operation's requests need, on {@code objects} and on whatever
   * else its settings name (a copy's target bucket, a function, a queue, a KMS key), as
   * Amazon's "Granting permissions for Batch Operations" lists them for the operation, plus
   * what this implementation sends beyond them. {@code s3batch iam-policy} prints them with the
   * job's own (manifest, report). Abstract on purpose: an operation cannot be added without
   * saying what its job's role needs.
   */
  List<PolicyStatement> permissions(ObjectScope objects);

  /**
   * What {@link #apply} would do to this object, in one sentence for a dry run's report
   * ("Would delete s3://bucket/key"). Called on the executors without any client: it must not
   * send a request, so it says what the job asks for, not what the store would answer.
   */
  default String describe(ObjectTask task) {
    return "Would run " + name() + " on " + Describe.object(task);
  }

  /**
   * Whether tasks should carry the manifest row's other columns ({@link ObjectTask#columns}).
   * Off by default, so that operations that never read them do not pay for them per object.
   */
  default boolean readsManifestColumns() {
    return false;
  }

  /**
   * Whether the tasks of one object (bucket and key) must run one after another, oldest version
   * first, because the operation's effect depends on their order (S3ReplicateObject writes each
   * version to a versioned destination, whose version stack is the order of the writes). The
   * job then sorts each object's tasks by the versions' age, and the runner starts a task of an
   * object only when the one before it has ended for good, retries included. Off by default:
   * every other operation runs its tasks in any order.
   */
  default boolean keepsVersionOrder() {
    return false;
  }
}
