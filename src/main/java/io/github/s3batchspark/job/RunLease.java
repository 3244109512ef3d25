package io.github.s3batchspark.job;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A run's hold on its job: only the run whose lease is fresh may run the job. The holder renews
 * {@code heartbeat} every few seconds ({@link JobControl}); a lease not renewed for longer than
 * its {@code timeout} belongs to a run that died, and the next run takes it over and resumes
 * the job. The holder states its own timeout, so that whoever reads the lease judges it alike.
 *
 * @param runId         who holds it: one id per run, made when the run starts
 * @param host          the host of the driver that runs the job, for people
 * @param applicationId the Spark application the run is in, for people
 * @param heartbeat     when the holder last said it is alive
 * @param timeout       how long after its last heartbeat the lease may be taken over
 */
public record RunLease(String runId, String host, String applicationId, Instant heartbeat,
    Duration timeout) implements Serializable {

  public RunLease {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Whether the holder may still be running at {@code now}: it renewed within its timeout. */
  public boolean isFresh(Instant now) {
    return age(now).compareTo(timeout) <= 0;
  }

  /** How long ago the holder last said it is alive (never negative: clocks differ). */
  public Duration age(Instant now) {
    Duration age = Duration.between(heartbeat, now);
    return age.isNegative() ? Duration.ZERO : age;
  }

  public RunLease renewed(Instant now) {
    return new RunLease(runId, host, applicationId, now, timeout);
  }

  public boolean heldBy(String otherRunId) {
    return runId.equals(otherRunId);
  }

  /** The holder, as a person reads it: {@code run 1b2c... on host-1 (app local-1712)}. */
  public String holder() {
    return "run " + runId + " on " + host + " (Spark application " + applicationId + ")";
  }
}
