package io.github.s3batchspark.execution;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A failed attempt, classified: the error code and HTTP status for the report, and whether
 * trying again may help (server errors, throttling, broken connections) or not (everything
 * the store refused on purpose, such as 403, 404 and the ETag guard's 412).
 */
public record TaskError(String errorCode, int httpStatusCode, String message, boolean retryable) {

  /** The error code of a task whose object changed after the manifest was made. */
  public static final String PRECONDITION_FAILED = "PreconditionFailed";

  /** Codes by which a store says "too many requests": the runner sends fewer to the prefix. */
  private static final Set<String> SLOW_DOWN_CODES = Set.of(
      "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequests",
      "TooManyRequestsException", "RequestLimitExceeded", "ServiceUnavailable");

  private static final Set<String> THROTTLING_CODES = Set.of(
      "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequests",
      "RequestLimitExceeded", "RequestTimeout", "InternalError", "ServiceUnavailable");

  public static TaskError classify(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof TaskFailure f) {
      return new TaskError(f.errorCode(), f.httpStatusCode(), f.getMessage(), f.retryable());
    }
    if (t instanceof AwsServiceException e) {
      int status = e.statusCode();
      String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
          ? e.awsErrorDetails().errorCode() : codeForStatus(status);
      String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
          ? e.awsErrorDetails().errorMessage() : e.getMessage();
      boolean retryable = status >= 500 || status == 429 || THROTTLING_CODES.contains(code);
      if (status == 412) {
        code = PRECONDITION_FAILED;
        message = "The object changed after the manifest was made (ETag no longer matches); "
            + "it was not modified. " + message;
      }
      return new TaskError(code, status, message, retryable);
    }
    if (t instanceof ApiCallTimeoutException) {
      return new TaskError("RequestTimeout", 0, t.getMessage(), true);
    }
    if (t instanceof SdkClientException || t instanceof IOException) {
      Throwable root = rootCause(t);
      String detail = root.getClass().getSimpleName() + ": " + root.getMessage();
      return new TaskError("ConnectionError", 0, detail, true);
    }
    return new TaskError(t.getClass().getSimpleName(), 0, String.valueOf(t.getMessage()), false);
  }

  /**
   * Whether the store refused the request for its rate (503 SlowDown, 429, a throttling code),
   * as opposed to failing it for any other reason: the signal to send fewer requests.
   */
  public boolean throttled() {
    return httpStatusCode == 503 || httpStatusCode == 429 || SLOW_DOWN_CODES.contains(errorCode);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String codeForStatus(int status) {
    return switch (status) {
      case 403 -> "AccessDenied";
      case 404 -> "NoSuchKey";
      case 412 -> PRECONDITION_FAILED;
      case 503 -> "SlowDown";
      default -> status >= 500 ? "InternalError" : "HTTP" + status;
    };
  }
}
