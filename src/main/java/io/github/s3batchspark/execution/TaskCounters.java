package io.github.s3batchspark.execution;

import java.io.Serializable;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * What a run's tasks count as they go: objects succeeded and failed, attempts retried, and
 * answers that were S3 throttling (SlowDown, 503). Spark accumulators, so that the driver sees
 * running tasks' counts in executor heartbeats (live progress) and each finished task's exactly
 * once.
 */
public final class TaskCounters implements Serializable {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String RETRIED = "retried";
  public static final String THROTTLED = "throttled";

  private static final TaskCounters NONE = new TaskCounters(null, null, null, null);

  private final LongAccumulator succeeded;
  private final LongAccumulator failed;
  private final LongAccumulator retried;
  private final LongAccumulator throttled;

  private TaskCounters(LongAccumulator succeeded, LongAccumulator failed,
      LongAccumulator retried, LongAccumulator throttled) {
    this.succeeded = succeeded;
    this.failed = failed;
    this.retried = retried;
    this.throttled = throttled;
  }

  /** Counters that count nothing, for runs nobody watches. */
  public static TaskCounters none() {
    return NONE;
  }

  /** New counters registered with {@code spark}, named {@code <run>.succeeded} and so on. */
  public static TaskCounters register(SparkContext spark, String run) {
    return new TaskCounters(spark.longAccumulator(run + "." + SUCCEEDED),
        spark.longAccumulator(run + "." + FAILED), spark.longAccumulator(run + "." + RETRIED),
        spark.longAccumulator(run + "." + THROTTLED));
  }

  /** The accumulators' ids, by counter name: how the driver finds them in Spark's events. */
  public Map<Long, String> ids() {
    if (succeeded == null) {
      return Map.of();
    }
    return Map.of(succeeded.id(), SUCCEEDED, failed.id(), FAILED, retried.id(), RETRIED,
        throttled.id(), THROTTLED);
  }

  void ended(boolean success) {
    if (succeeded != null) { // null in none() and its copies on executors
      (success ? succeeded : failed).add(1);
    }
  }

  void retrying() {
    if (succeeded != null) { // null in none() and its copies on executors
      retried.add(1);
    }
  }

  void throttledAnswer() {
    if (succeeded != null) { // null in none() and its copies on executors
      throttled.add(1);
    }
  }
}
