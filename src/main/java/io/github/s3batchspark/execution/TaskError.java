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

  /** S3's code for a version that does not exist (deleted since the manifest was made). */
  public static final String NO_SUCH_VERSION = "NoSuchVersion";

  /** Codes by which a store says "too many requests": the runner sends fewer to the prefix. */
  private static final Set<String> SLOW_DOWN_CODES = Set.of(
      "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequests",
      "TooManyRequestsException", "RequestLimitExceeded", "ServiceUnavailable");

  private static final Set<String> THROTTLING_CODES = Set.of(
      "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequests",
      "RequestLimitExceeded", "RequestTimeout", "InternalError", "ServiceUnavailable");

  /** The error of an attempt on the object's current version. */
  public static TaskError classify(Throwable failure) {
    return classify(failure, false);
  }

  /**
   * The error of an attempt; {@code versioned} when the task names a version. An answer without
   * a body (HEAD's, as the ETag guard and several operations send first) says only its status,
   * and the SDK names every such 404 {@code NoSuchKey}; S3's 404 to a request naming a version
   * means {@code NoSuchVersion}, as its GET then says (a stale row of an all-versions
   * inventory), so that is the code reported.
   */
  public static TaskError classify(Throwable failure, boolean versioned) {
    Throwable t = unwrap(failure);
    if (t instanceof TaskFailure f) {
      return new TaskError(f.errorCode(), f.httpStatusCode(), f.getMessage(), f.retryable());
    }
    if (t instanceof AwsServiceException e) {
      int status = e.statusCode();
      boolean coded = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null;
      String code = coded ? e.awsErrorDetails().errorCode() : codeForStatus(status);
      String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
          ? e.awsErrorDetails().errorMessage() : e.getMessage();
      if (status == 404 && versioned && (!coded || bodiless(e))) {
        code = NO_SUCH_VERSION;
        message = "The specified version does not exist.";
      }
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

  /** Whether the error answer had no body to read its code from (the code is the SDK's guess). */
  private static boolean bodiless(AwsServiceException e) {
    var details = e.awsErrorDetails();
    return details == null || details.rawResponse() == null
        || details.rawResponse().asByteArrayUnsafe().length == 0;
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
