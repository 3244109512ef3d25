package io.github.s3batchspark.job;

/** A run was refused because another run holds the job's lease and is alive. */
public final class LeaseHeldException extends RuntimeException implements Refusal {

  public LeaseHeldException(String jobId, RunLease lease, long ageSeconds) {
    super("Job " + jobId + " is being run by " + lease.holder() + ", whose last heartbeat was "
        + ageSeconds + " s ago; wait for it to end, or cancel it with s3batch update-job-status"
        + " --job-id " + jobId + " --requested-job-status Cancelled. A run that died leaves its"
        + " lease, which expires " + lease.timeout().toSeconds() + " s after its last heartbeat;"
        + " then run --job-id takes the job over");
  }
}
