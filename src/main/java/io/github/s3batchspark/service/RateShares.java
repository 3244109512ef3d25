package io.github.s3batchspark.service;

import java.util.HashMap;
import java.util.Map;

/**
 * Each running job's cap on the objects it starts per second, by priority: what makes priority
 * bind when the executors are short of CPU rather than waiting on S3 (see
 * {@link io.github.s3batchspark.execution.Steering}).
 *
 * <p>The jobs with a wave of tasks running compete. Together they do {@code combined}
 * objects/s, and job j's target is {@code combined * (p_j + 1) / sum(p + 1)}, the weights of
 * {@link PriorityShares}. A job whose weight is below an even split, running above its target,
 * is capped at its target plus {@link #HEADROOM}; a job at or below it is not capped at all,
 * nor is a job whose weight is an even split or more (the OS gives an uncapped job at most an
 * even part of the CPU, so such a job gets its share by the others' caps, never its own). So a job alone, or one that
 * cannot use its share, wastes nothing; the CPU a capped job leaves goes to the others, whose
 * rates (and so {@code combined} and the caps) rise until the shares follow the weights.
 *
 * <p>A capped job keeps its cap while it runs near its target: lifted, it would take an even
 * part of the CPU at once, and the rates measured over seconds would show it only seconds
 * later. Its cap is lifted when its rate falls below {@link #LIFTED_BELOW} of its target,
 * which a job short of CPU does not do (its cap is above its target): only one that cannot use
 * its share.
 *
 * <p>Why this converges rather than collapsing: a cap never falls below the capped job's target
 * of what all the jobs do together, and the capped job stays above its target only by the
 * headroom, so the combined rate (the CPU the jobs have) decides the caps, not the capped
 * job's own fall. When every other job has no wave running (preparing, committing a wave,
 * writing reports), the remaining one competes alone and its cap is lifted.
 *
 * <p>A job whose wave has just begun has no rate yet (its counts come with executor
 * heartbeats, seconds apart). It is capped at its target from the start, and the others'
 * targets make room for it; so that the others' rates, falling under their new caps, do not
 * pull every target down before the new job's rate shows, {@code combined} is at least what
 * the jobs did together lately ({@code recentCombined}, which the caller holds for a few
 * seconds).
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
   * @param capped           whether it was capped by the last computation
   */
  record Job(int priority, boolean inWave, double objectsPerSecond, boolean capped) {
    /** A job in a wave whose rate is known, not capped so far. */
    Job(int priority, double objectsPerSecond) {
      this(priority, true, objectsPerSecond, false);
    }

    Job capped(boolean newCapped) {
      return new Job(priority, inWave, objectsPerSecond, newCapped);
    }

    boolean rateKnown() {
      return !Double.isNaN(objectsPerSecond);
    }
  }

  /** The objects/s the competing jobs whose rate is known do together. */
  static double combined(Map<String, Job> jobs) {
    double combined = 0;
    for (Job job : jobs.values()) {
      if (job.inWave() && job.rateKnown()) {
        combined += job.objectsPerSecond();
      }
    }
    return combined;
  }

  /** Each job's cap in objects/s, {@link #NONE} for the jobs not capped. */
  static Map<String, Double> caps(Map<String, Job> jobs, double recentCombined) {
    Map<String, Double> caps = new HashMap<>();
    jobs.keySet().forEach(id -> caps.put(id, NONE));
    double weights = 0;
    int competing = 0;
    for (Job job : jobs.values()) {
      if (job.inWave()) {
        weights += job.priority() + 1.0;
        competing++;
      }
    }
    double combined = Math.max(combined(jobs), recentCombined);
    if (competing < 2 || combined <= 0) {
      return caps;
    }
    for (Map.Entry<String, Job> e : jobs.entrySet()) {
      Job job = e.getValue();
      double weight = (job.priority() + 1.0) / weights;
      double target = combined * weight;
      if (job.inWave() && weight < 1.0 / competing && (!job.rateKnown() || job.objectsPerSecond() > target
          || job.capped() && job.objectsPerSecond() >= target * LIFTED_BELOW)) {
        caps.put(e.getKey(), Math.max(SLOWEST_CAP, target * (1 + HEADROOM)));
      }
    }
    return caps;
  }
}
