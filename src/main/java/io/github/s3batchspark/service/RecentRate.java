package io.github.s3batchspark.service;

import io.github.s3batchspark.job.ObjectsDone;
import java.util.ArrayDeque;

/**
 * One running job's objects per second over the last {@code window}, from its counts as the
 * driver gets them: in steps, at executor heartbeats and Spark task ends. The rate is measured
 * between steps (counts over the time between the moments they moved), so that how a reading
 * falls between two heartbeats does not make it jump.
 *
 * <p>Each wave of the job's tasks is measured afresh: between waves the count stands still
 * while results are committed and the next wave is planned, and a rate across that pause would
 * say the job is slow when it was only not running. Until a wave has two steps its rate is not
 * known. Read by the service's one thread.
 */
final class RecentRate {
  /** The rate of a job whose wave has not brought two steps yet. */
  static final double UNKNOWN = Double.NaN;

  private final long windowNanos;
  private final ArrayDeque<ObjectsDone> steps = new ArrayDeque<>();
  /** The run whose counts these are: a new run of the job counts from 0 again. */
  private Object run;
  private int wave;
  /** The count when this wave was first seen: steps are the moves after it. */
  private ObjectsDone before;

  RecentRate(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /**
   * Takes the run's latest count and answers its rate, {@link #UNKNOWN} while its wave has not
   * run long enough to tell.
   *
   * @param run  whose count it is
   * @param done the count, never null (a job with no wave running has no rate)
   * @param now  a {@link System#nanoTime()} value
   */
  double perSecond(Object run, ObjectsDone done, long now) {
    if (run != this.run || done.wave() != wave || done.count() < before.count()) {
      // A new run or wave, or a failed Spark task took its counts with it: what the count
      // says now is a starting line, not a step of this wave (it may be from before it).
      steps.clear();
      this.run = run;
      wave = done.wave();
      before = done;
      return UNKNOWN;
    }
    ObjectsDone last = steps.isEmpty() ? before : steps.peekLast();
    if (done.asOfNanos() != last.asOfNanos()) {
      steps.addLast(done);
    }
    while (steps.size() > 2 && now - steps.peekFirst().asOfNanos() > windowNanos) {
      steps.pollFirst();
    }
    if (steps.size() < 2) {
      return UNKNOWN;
    }
    ObjectsDone first = steps.peekFirst();
    ObjectsDone latest = steps.peekLast();
    if (now - latest.asOfNanos() > windowNanos) {
      return 0; // running, yet no count moved for a whole window
    }
    return (latest.count() - first.count()) * 1e9 / (latest.asOfNanos() - first.asOfNanos());
  }

  /** The job has no wave running: its next one is measured afresh. */
  void notRunning() {
    steps.clear();
    run = null;
  }
}
