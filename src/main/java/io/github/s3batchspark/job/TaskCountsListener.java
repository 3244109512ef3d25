package io.github.s3batchspark.job;

import io.github.s3batchspark.execution.TaskCounters;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Option;
import scala.Tuple4;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * A run's live task counts, from Spark's own events: the counts of each running Spark task as
 * its executor's last heartbeat carried them, plus the final counts of every Spark task that
 * ended well. Spark merges accumulators into the driver only when a task ends, which for a
 * partition of a large job is minutes away; heartbeats carry them every few seconds
 * ({@code spark.executor.heartbeatInterval}).
 *
 * <p>It also keeps when the counts last moved (what a rate between two readings divides by: the
 * counts move in steps, at heartbeats and task ends, not as the objects end) and which executors
 * run the run's tasks (by their heartbeats), among which a cap on the run's starts is divided.
 *
 * <p>A Spark task that fails or is killed loses its counts, as it loses its results: the objects
 * it did are done again by its retry, and counted then.
 */
final class TaskCountsListener extends SparkListener {
  private final Map<Long, String> counterIds;
  private final Map<Long, Counts> running = new HashMap<>();
  /** The executor of each running Spark task of the run, as its heartbeats say. */
  private final Map<Long, String> executors = new HashMap<>();
  private long movedNanos = System.nanoTime();
  private final Set<Long> ended = new HashSet<>();
  private Counts finished = Counts.ZERO;

  /** The counts of one Spark task, or of many added up. */
  record Counts(long succeeded, long failed, long retried, long throttled) {
    static final Counts ZERO = new Counts(0, 0, 0, 0);

    Counts plus(Counts other) {
      return new Counts(succeeded + other.succeeded, failed + other.failed,
          retried + other.retried, throttled + other.throttled);
    }

    Counts with(String counter, long value) {
      return switch (counter) {
        case TaskCounters.SUCCEEDED -> new Counts(value, failed, retried, throttled);
        case TaskCounters.FAILED -> new Counts(succeeded, value, retried, throttled);
        case TaskCounters.RETRIED -> new Counts(succeeded, failed, value, throttled);
        default -> new Counts(succeeded, failed, retried, value);
      };
    }
  }

  TaskCountsListener(TaskCounters counters) {
    this.counterIds = counters.ids();
  }

  @Override
  public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task
        : JavaConverters.seqAsJavaList(update.accumUpdates())) {
      long taskId = (Long) task._1();
      if (ended.contains(taskId)) {
        continue; // a heartbeat that left before the task ended, read after it
      }
      Counts counts = ours(task._4());
      if (counts != null) {
        moved(running.put(taskId, counts), counts);
        executors.put(taskId, update.execId());
      }
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    long taskId = end.taskInfo().taskId();
    Counts before = running.remove(taskId);
    executors.remove(taskId);
    ended.add(taskId);
    if (end.reason() == Success$.MODULE$) {
      Counts counts = ours(end.taskInfo().accumulables());
      if (counts != null) {
        finished = finished.plus(counts);
        moved(before, counts);
      }
    }
  }

  private void moved(Counts before, Counts after) {
    if (!after.equals(before)) {
      movedNanos = System.nanoTime();
    }
  }

  /** When the counts last moved ({@link System#nanoTime()}). */
  synchronized long movedNanos() {
    return movedNanos;
  }

  /** How many executors run the run's tasks now, as far as their heartbeats tell; at least 1. */
  synchronized int executorsRunning() {
    return Math.max(1, (int) executors.values().stream().distinct().count());
  }

  /** Every Spark task's counts so far, ended and running. */
  synchronized Counts counts() {
    Counts all = finished;
    for (Counts task : running.values()) {
      all = all.plus(task);
    }
    return all;
  }

  /** This run's counters among a task's accumulators, or null when it has none of them. */
  private Counts ours(Seq<AccumulableInfo> accumulables) {
    Counts counts = null;
    for (AccumulableInfo info : JavaConverters.seqAsJavaList(accumulables)) {
      String counter = counterIds.get(info.id());
      Option<Object> update = info.update();
      if (counter != null && update.isDefined() && update.get() instanceof Number n) {
        counts = (counts == null ? Counts.ZERO : counts).with(counter, n.longValue());
      }
    }
    return counts;
  }
}
