package io.github.s3batchspark.function;

import java.util.Objects;

/**
 * What a function says of one object, in Lambda's terms: a result code and the string that
 * goes into the completion report's ResultMessage.
 */
public record FunctionResult(Code code, String message) {

  /** The result codes of a Batch Operations Lambda response. */
  public enum Code {
    /** Done: the task succeeds with the message. */
    SUCCEEDED,
    /** Try again later: retried with backoff, failed as TemporaryFailure when attempts run out. */
    TEMPORARY_FAILURE,
    /** Will never work: the task fails as PermanentFailure at once. */
    PERMANENT_FAILURE
  }

  public FunctionResult {
    Objects.requireNonNull(code, "code");
  }

  public static FunctionResult succeeded(String message) {
    return new FunctionResult(Code.SUCCEEDED, message);
  }

  public static FunctionResult temporaryFailure(String message) {
    return new FunctionResult(Code.TEMPORARY_FAILURE, message);
  }

  public static FunctionResult permanentFailure(String message) {
    return new FunctionResult(Code.PERMANENT_FAILURE, message);
  }
}
