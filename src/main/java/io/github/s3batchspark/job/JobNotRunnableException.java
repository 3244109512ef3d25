package io.github.s3batchspark.job;

/**
 * A job that cannot be run now as asked: it waits for confirmation, or it has ended. The message
 * says what to do instead (confirm it, or create a new job).
 */
public final class JobNotRunnableException extends IllegalStateException implements Refusal {
  public JobNotRunnableException(String message) {
    super(message);
  }
}
