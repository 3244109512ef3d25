package io.github.s3batchspark.job;

import java.io.Serializable;

/**
 * One entry of DescribeJob's {@code FailureReasons}: why the job itself (not a task) failed.
 * Values longer than the API allows (code 64, reason 256 characters) are shortened, so that a
 * long exception message never makes a job record unwritable.
 */
public record JobFailure(String failureCode, String failureReason) implements Serializable {
  static final int MAX_CODE = 64;
  static final int MAX_REASON = 256;

  public JobFailure {
    if (failureCode == null || failureCode.isBlank()) {
      throw new IllegalArgumentException("a job failure needs a FailureCode");
    }
    failureCode = shorten(failureCode, MAX_CODE);
    failureReason = failureReason == null || failureReason.isBlank() ? failureCode
        : shorten(failureReason, MAX_REASON);
  }

  static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
