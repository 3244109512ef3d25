package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * How the driver steers a run's tasks while they run, and what they report back: a stop signal
 * they obey, counters they keep.
 */
public record TaskSignals(StopSignal stop, TaskCounters counters) implements Serializable {

  /** A run that is never stopped and whose counts nobody reads. */
  public static TaskSignals none() {
    return new TaskSignals(StopSignal.never(), TaskCounters.none());
  }
}
