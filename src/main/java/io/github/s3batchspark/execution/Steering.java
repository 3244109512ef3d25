package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * What the driver tells a run's tasks while they run: whether to stop (the job was cancelled or
 * paused, or the run lost its lease), and how much of the executors the run may take when jobs
 * run side by side (its priority among them): a share of the requests in flight, and a cap on
 * the objects it starts per second. A task that is told to stop takes no more objects from its
 * input, lets the requests in flight end, and ends with one result per object it started, so
 * that Spark commits what ran.
 *
 * <p>The two shares bind on different things, and a run obeys both. When the executors wait on
 * S3's latency, a partition's throughput is its window over the latency, so the window's share
 * decides. When they are short of CPU (decoding rows, building requests, writing results), the
 * windows are never full and only a cap on starts frees CPU for the other jobs.
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

  /**
   * Objects per second this partition may start now: its part of the run's cap, shared among
   * the run's partitions running in this JVM. {@code +Infinity}, the default, is no cap.
   */
  default double startsPerSecond() {
    return Double.POSITIVE_INFINITY;
  }

  /**
   * The partition asking has ended: its part of the run's cap goes to the run's other
   * partitions in this JVM.
   */
  default void partitionEnded() {
  }

  /** The steering of a run nobody steers (a dry run, a test of one partition). */
  static Steering none() {
    return None.INSTANCE;
  }

  /** Never stops, always the whole window, no cap on starts. */
  enum None implements Steering {
    INSTANCE;

    @Override
    public boolean stopRequested() {
      return false;
    }
  }
}
