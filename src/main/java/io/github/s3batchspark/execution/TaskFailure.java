package io.github.s3batchspark.execution;

/**
 * A failure that an operation raises itself, with the error code and HTTP status the completion
 * report should show (for example a bad manifest row, or a precondition the operation checked).
 */
public final class TaskFailure extends RuntimeException {
  private final String errorCode;
  private final int httpStatusCode;
  private final boolean retryable;

  public TaskFailure(String errorCode, int httpStatusCode, String message, boolean retryable) {
    super(message);
    this.errorCode = errorCode;
    this.httpStatusCode = httpStatusCode;
    this.retryable = retryable;
  }

  public static TaskFailure permanent(String errorCode, int httpStatusCode, String message) {
    return new TaskFailure(errorCode, httpStatusCode, message, false);
  }

  public String errorCode() {
    return errorCode;
  }

  public int httpStatusCode() {
    return httpStatusCode;
  }

  public boolean retryable() {
    return retryable;
  }
}
