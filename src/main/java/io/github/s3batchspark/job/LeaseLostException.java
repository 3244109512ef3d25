package io.github.s3batchspark.job;

/**
 * This run's lease was taken over by another run (this one stopped renewing it for longer than
 * its timeout, a long pause for example): the run stops its tasks and writes nothing more.
 */
public final class LeaseLostException extends RuntimeException {

  public LeaseLostException(String jobId, RunLease holder) {
    super("Job " + jobId + " was taken over by " + (holder == null ? "no run (its lease was"
        + " released)" : holder.holder()) + " after this run's lease expired; this run stopped"
        + " and the other goes on from the results this one committed");
  }
}
