package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * What the driver tells a run's tasks while they run: whether to stop (the job was cancelled or
 * paused, or the run lost its lease), and what share of the requests in flight the run may
 * take (a job's priority among the jobs running together). A task that is told to stop takes no
 * more objects from its input, lets the requests in flight end, and ends with one result per
 * object it started, so that Spark commits what ran.
 *
 * <p>Asked before every object a task starts: implementations answer from memory and refresh
 * at most about once a second.
 */
public interface Steering extends Serializable {

  boolean stopRequested();

  /**
   * The fraction of {@link RunnerSettings#inFlight()} each of the run's partitions may keep in
   * flight now; 1 when the run has the executors to itself.
   */
  default double inFlightShare() {
    return 1.0;
  }

  /** The steering of a run nobody steers (a dry run, a test of one partition). */
  static Steering none() {
    return None.INSTANCE;
  }

  /** Never stops, always the whole window. */
  enum None implements Steering {
    INSTANCE;

    @Override
    public boolean stopRequested() {
      return false;
    }
  }
}
