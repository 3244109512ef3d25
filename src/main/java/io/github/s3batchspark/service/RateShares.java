package io.github.s3batchspark.service;

import java.util.HashMap;
import java.util.Map;

/**
 * Each running job's cap on the objects it starts per second, by priority: what makes priority
 * bind when the executors are short of CPU rather than waiting on S3 (see
 * {@link io.github.s3batchspark.execution.Steering}).
 *
 * <p>The jobs doing objects now (a wave of tasks running, its rate known and above 0) compete.
 * Together they do {@code combined} objects/s, and job j's target is
 * {@code combined * (p_j + 1) / sum(p + 1)} over them, the weights of {@link PriorityShares}.
 * A job whose weight is below an even split, running above its target, is capped at its target
 * plus {@link #HEADROOM}. Not capped: a job alone, a job at or below its target (it wastes
 * nothing), and a job whose weight is an even split or more (the OS gives an uncapped job at
 * most an even part of the CPU, so such a job gets its share by the others' caps). The CPU a
 * capped job leaves goes to the others, whose rates (and so {@code combined} and the caps) rise
 * until the shares follow the weights.
 *
 * <p>Why this converges rather than collapsing: the caps are shares of {@code combined}, which
 * is at least what the jobs did together lately ({@code recentCombined}, held by the caller),
 * so a capped job's falling rate never pulls its own cap down; and a job that does no objects
 * (preparing, between waves, or waiting for task slots that a capped job holds) does not
 * compete, so it never has the others capped while it cannot use what they leave.
 *
 * <p>A job whose wave has just begun has no rate yet (its counts come with executor heartbeats,
 * seconds apart): beside jobs that do objects, it is capped at once at its share of what they
 * do, if its weight is below an even split; it has nobody else capped until its rate shows.
 *
 * <p>A capped job keeps its cap while it runs near its target: lifted, it would take an even
 * part of the CPU at once, and rates measured over seconds would show it only seconds later.
 * Its cap is lifted when its rate falls below {@link #LIFTED_BELOW} of its target (a job short
 * of CPU does not: its cap is above its target). For the same reason a capped job whose next
 * wave has no rate yet keeps its cap while another job competes.
 */
final class RateShares {
  /** How far above its target a capped job may run: room to show it could do more. */
  static final double HEADROOM = 0.25;
  /** The fraction of its target below which a capped job's cap is lifted. */
  static final double LIFTED_BELOW = 0.5;
  /** The lowest cap set, in objects/s: a job at priority 0 still moves. */
  static final double SLOWEST_CAP = 1.0;
  /** No cap. */
  static final double NONE = Double.POSITIVE_INFINITY;

  private RateShares() {}

  /**
   * A running job as the shares see it.
   *
   * @param priority         its priority now
   * @param inWave           whether a wave of its tasks runs now
   * @param objectsPerSecond the objects it ended per second lately in this wave, NaN while
   *                         that is not known yet
   * @param cap              its cap from the last computation, {@link #NONE} for none
   */
  record Job(int priority, boolean inWave, double objectsPerSecond, double cap) {
    /** A job in a wave whose rate is known, not capped so far. */
    Job(int priority, double objectsPerSecond) {
      this(priority, true, objectsPerSecond, NONE);
    }

    Job cappedAt(double newCap) {
      return new Job(priority, inWave, objectsPerSecond, newCap);
    }

    boolean rateKnown() {
      return !Double.isNaN(objectsPerSecond);
    }

    boolean competes() {
      return inWave && rateKnown() && objectsPerSecond > 0;
    }

    boolean capped() {
      return cap != NONE;
    }
  }

  /**
   * The cap of a job whose wave has no rate yet, beside jobs that do objects: its share of
   * what they do, as if it competed already, when its weight is below an even split. It does
   * not have the others capped before its rate shows: it may be waiting for task slots.
   */
  private static double newcomer(Job job, double combined, double weights, int competing) {
    double weight = (job.priority() + 1.0) / (weights + job.priority() + 1.0);
    return weight < 1.0 / (competing + 1)
        ? Math.max(SLOWEST_CAP, combined * weight * (1 + HEADROOM)) : NONE;
  }

  /** The objects/s the competing jobs do together. */
  static double combined(Map<String, Job> jobs) {
    double combined = 0;
    for (Job job : jobs.values()) {
      if (job.competes()) {
        combined += job.objectsPerSecond();
      }
    }
    return combined;
  }

  /** Each job's cap in objects/s, {@link #NONE} for the jobs not capped. */
  static Map<String, Double> caps(Map<String, Job> jobs, double recentCombined) {
    double weights = 0;
    int competing = 0;
    for (Job job : jobs.values()) {
      if (job.competes()) {
        weights += job.priority() + 1.0;
        competing++;
      }
    }
    double combined = Math.max(combined(jobs), recentCombined);
    Map<String, Double> caps = new HashMap<>();
    for (Map.Entry<String, Job> e : jobs.entrySet()) {
      Job job = e.getValue();
      double cap = NONE;
      if (!job.competes() && job.capped() && competing > 0) {
        cap = job.cap(); // between waves, or its new one: as capped until its rate shows
      } else if (job.inWave() && !job.rateKnown() && competing > 0) {
        cap = newcomer(job, combined, weights, competing);
      } else if (job.competes() && competing > 1) {
        double weight = (job.priority() + 1.0) / weights;
        double target = combined * weight;
        boolean above = job.objectsPerSecond() > target
            || job.capped() && job.objectsPerSecond() >= target * LIFTED_BELOW;
        if (weight < 1.0 / competing && above) {
          cap = Math.max(SLOWEST_CAP, target * (1 + HEADROOM));
        }
      }
      caps.put(e.getKey(), cap);
    }
    return caps;
  }
}
