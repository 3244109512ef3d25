package io.github.s3batchspark.job;

/**
 * The objects a run's tasks have ended so far, as the driver knows them, and when that count
 * last moved: Spark brings the counts in steps (executor heartbeats, task ends), so a rate is
 * the difference of two counts over the time between their steps, not between two readings.
 *
 * @param count     objects ended (succeeded or failed) in this run
 * @param asOfNanos when the count last moved, a {@link System#nanoTime()} value
 * @param wave      the run's wave of tasks running now (each wave's rate is measured afresh:
 *                  between two waves the count stands still while results are committed)
 */
public record ObjectsDone(long count, long asOfNanos, int wave) {}
