package io.github.s3batchspark.job;

/**
 * A job whose status does not allow what was asked: a run while it waits for confirmation, a run
 * or a new priority once it has ended. The message says what to do instead (confirm it, or
 * create a new job).
 */
public final class JobNotRunnableException extends IllegalStateException implements Refusal {
  public JobNotRunnableException(String message) {
    super(message);
  }
}
