package io.github.s3batchspark.job;

/**
 * A ClientRequestToken was used again with a different job spec (CreateJob's
 * IdempotencyException): creating a second job would break the promise that one token is one job.
 */
public final class IdempotencyException extends JobStoreException implements Refusal {
  private final String existingJobId;

  public IdempotencyException(String token, String existingJobId) {
    super("ClientRequestToken \"" + token + "\" was already used for job " + existingJobId
        + " with a different job spec: use a new token (or leave it out) to create another job");
    this.existingJobId = existingJobId;
  }

  public String existingJobId() {
    return existingJobId;
  }
}
