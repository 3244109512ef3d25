package io.github.s3batchspark.service;

import io.github.s3batchspark.job.ObjectsDone;
import java.util.ArrayDeque;

/**
 * One running job's objects per second over the last {@code window}, from its counts as the
 * driver gets them: in steps, at executor heartbeats and Spark task ends. The rate is measured
 * between steps (counts over the time between the moments they moved), so that how a reading
 * falls between two heartbeats does not make it jump.
 *
 * <p>A job whose counts have not moved for a whole window is doing nothing now (its manifest,
 * the commit between two waves, its reports): its rate is 0. Read by the service's one thread.
 */
final class RecentRate {
  private final long windowNanos;
  private final ArrayDeque<ObjectsDone> steps = new ArrayDeque<>();
  /** The run whose counts these are: a new run of the job counts from 0 again. */
  private Object run;

  RecentRate(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /**
   * Takes the run's latest count (null when its tasks do not run) and answers its rate.
   *
   * @param run  whose count it is
   * @param done the count, or null
   * @param now  a {@link System#nanoTime()} value
   */
  double perSecond(Object run, ObjectsDone done, long now) {
    if (run != this.run || done == null) {
      steps.clear();
      this.run = run;
      if (done == null) {
        return 0;
      }
    }
    ObjectsDone last = steps.peekLast();
    if (last != null && done.count() < last.count()) {
      steps.clear(); // a failed Spark task took its counts with it: measure afresh
    }
    if (last == null || done.asOfNanos() != last.asOfNanos()) {
      steps.addLast(done);
    }
    while (steps.size() > 2 && now - steps.peekFirst().asOfNanos() > windowNanos) {
      steps.pollFirst();
    }
    ObjectsDone first = steps.peekFirst();
    ObjectsDone latest = steps.peekLast();
    if (now - latest.asOfNanos() > windowNanos || latest.asOfNanos() == first.asOfNanos()) {
      return 0;
    }
    return (latest.count() - first.count()) * 1e9 / (latest.asOfNanos() - first.asOfNanos());
  }
}
