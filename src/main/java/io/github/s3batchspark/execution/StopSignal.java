package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * Whether the driver has asked a run's tasks to stop (the job was cancelled, or the run lost its
 * lease). A task that sees it takes no more objects from its input, lets the requests in flight
 * end, and ends with one result per object it started, so that Spark commits what ran.
 *
 * <p>Asked before every object a task starts: implementations answer from memory and refresh
 * at most about once a second.
 */
public interface StopSignal extends Serializable {

  boolean stopRequested();

  /** The signal of a run that is never asked to stop (a dry run, a test of one partition). */
  static StopSignal never() {
    return Never.INSTANCE;
  }

  /** A signal that never fires. */
  enum Never implements StopSignal {
    INSTANCE;

    @Override
    public boolean stopRequested() {
      return false;
    }
  }
}
