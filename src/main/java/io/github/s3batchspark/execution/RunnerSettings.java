package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * How a partition's {@link TaskRunner} paces its requests.
 *
 * @param inFlight       tasks in flight at once per partition (throughput is about
 *                       inFlight / latency)
 * @param maxAttempts    attempts per task before a retryable error fails it
 * @param baseBackoffMs  first retry waits up to this long (full jitter), doubling each time
 * @param maxBackoffMs   upper bound of one wait
 * @param adaptivePrefixConcurrency whether each key prefix gets fewer requests in flight when
 *                       it answers SlowDown and more while it does not ({@link PrefixConcurrency});
 *                       off, only {@code inFlight} bounds the requests
 */
public record RunnerSettings(int inFlight, int maxAttempts, long baseBackoffMs, long maxBackoffMs,
    boolean adaptivePrefixConcurrency) implements Serializable {

  public RunnerSettings {
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight must be at least 1, got " + inFlight);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
  }

  public static RunnerSettings defaults() {
    return new RunnerSettings(256, 10, 50, 20_000, true);
  }

  public RunnerSettings withInFlight(int inFlight) {
    return new RunnerSettings(inFlight, maxAttempts, baseBackoffMs, maxBackoffMs,
        adaptivePrefixConcurrency);
  }

  public RunnerSettings withRetries(int maxAttempts, long baseBackoffMs, long maxBackoffMs) {
    return new RunnerSettings(inFlight, maxAttempts, baseBackoffMs, maxBackoffMs,
        adaptivePrefixConcurrency);
  }

  public RunnerSettings withAdaptivePrefixConcurrency(boolean adaptive) {
    return new RunnerSettings(inFlight, maxAttempts, baseBackoffMs, maxBackoffMs, adaptive);
  }
}
