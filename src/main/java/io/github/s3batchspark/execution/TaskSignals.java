package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * How the driver steers a run's tasks while they run, and what they report back: steering they
 * obey (stop, share of the window), counters they keep.
 */
public record TaskSignals(Steering steering, TaskCounters counters) implements Serializable {

  /** A run that is never stopped and whose counts nobody reads. */
  public static TaskSignals none() {
    return new TaskSignals(Steering.none(), TaskCounters.none());
  }
}
