package io.github.s3batchspark.job;

/** A job was asked to move to a status it cannot reach from where it is. */
public final class JobStatusTransitionException extends IllegalStateException
    implements Refusal {
  private final JobStatus from;
  private final JobStatus to;

  public JobStatusTransitionException(String jobId, JobStatus from, JobStatus to) {
    super("Cannot move job " + (jobId == null ? "" : jobId + " ") + "from " + from.awsName()
        + " to " + to.awsName() + ": " + from.describeAllowedNext());
    this.from = from;
    this.to = to;
  }

  public JobStatus from() {
    return from;
  }

  public JobStatus to() {
    return to;
  }
}
