package io.github.s3batchspark.service;

import java.util.HashMap;
import java.util.Map;

/**
 * Each running job's share of the requests in flight, by priority. Spark's fair scheduler gives
 * the jobs running together equal numbers of task slots; a job's share scales its partitions'
 * windows so that its requests in flight follow its priority: with k jobs, job j's share is
 * {@code k * (p_j + 1) / sum(p + 1)} (the +1 gives priority 0 a little), and the shares add up
 * to k, so the executors keep as many requests in flight as one job alone would.
 *
 * <p>Kept beside {@link RateShares}: while the executors wait on S3's latency a partition's
 * rate is its window over the latency, and this share is what binds (at once, with no rate to
 * measure first); while they are short of CPU the windows are never full, and the cap on
 * starts is what binds.
 */
final class PriorityShares {
  private PriorityShares() {}

  static Map<String, Double> of(Map<String, Integer> priorities) {
    double total = priorities.values().stream().mapToDouble(p -> p + 1.0).sum();
    Map<String, Double> shares = new HashMap<>();
    priorities.forEach((job, p) -> shares.put(job, priorities.size() * (p + 1.0) / total));
    return shares;
  }
}
