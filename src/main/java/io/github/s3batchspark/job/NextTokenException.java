package io.github.s3batchspark.job;

/**
 * A NextToken that no earlier ListJobs page gave (ListJobs' InvalidNextTokenException): the
 * caller should start again without one.
 */
public final class NextTokenException extends IllegalArgumentException implements Refusal {
  public NextTokenException(String token) {
    super("NextToken \"" + (token.length() > 40 ? token.substring(0, 40) + "..." : token)
        + "\" is not a token an earlier list-jobs gave: list again without it");
  }
}
