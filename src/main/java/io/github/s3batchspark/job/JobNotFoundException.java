package io.github.s3batchspark.job;

/** No job with the given id in this store (DescribeJob's NotFoundException). */
public final class JobNotFoundException extends JobStoreException implements Refusal {
  private final String jobId;

  public JobNotFoundException(String jobId, String storeLocation) {
    super("job " + jobId + " not found in job store " + storeLocation
        + ": check the id printed by create-job, or pass the --job-store it was created in");
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }
}
