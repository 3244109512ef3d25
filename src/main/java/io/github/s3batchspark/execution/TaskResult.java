package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * How one task ended: exactly one per manifest row.
 *
 * @param taskStatus     {@link #SUCCEEDED} or {@link #FAILED}
 * @param errorCode      S3's error code (or ours) when failed, else null
 * @param httpStatusCode status of the last request (200 when succeeded)
 * @param resultMessage  the completion report's ResultMessage
 * @param attempts       requests made for this task, retries included
 * @param startedAt      epoch milliseconds of the first attempt
 * @param finishedAt     epoch milliseconds when the task ended
 */
public record TaskResult(
    long taskId, String bucket, String key, String versionId, String taskStatus,
    String errorCode, int httpStatusCode, String resultMessage, int attempts, long startedAt,
    long finishedAt) implements Serializable {

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  public boolean succeeded() {
    return SUCCEEDED.equals(taskStatus);
  }

  /** What Amazon's completion report says of a task whose operation has nothing to add. */
  public static final String SUCCESSFUL = "Successful";

  static TaskResult succeeded(ObjectTask task, OperationResult result, int attempts,
      long startedAt) {
    String message = result.resultMessage() == null ? SUCCESSFUL : result.resultMessage();
    return new TaskResult(task.taskId(), task.bucket(), task.key(), task.versionId(), SUCCEEDED,
        null, result.httpStatusCode(), message, attempts, startedAt,
        System.currentTimeMillis());
  }

  static TaskResult failed(ObjectTask task, TaskError error, int attempts, long startedAt) {
    return new TaskResult(task.taskId(), task.bucket(), task.key(), task.versionId(), FAILED,
        error.errorCode(), error.httpStatusCode(), error.message(), attempts, startedAt,
        System.currentTimeMillis());
  }
}
