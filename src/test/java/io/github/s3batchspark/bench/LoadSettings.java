package io.github.s3batchspark.bench;

import java.util.Set;

/**
 * How the load server misbehaves: the latency it adds to every response, the faults it injects
 * (as fractions of requests) and S3's request-rate limit per key prefix.
 *
 * @param latencyMs         added to every response, faults included
 * @param slowDownRate      fraction answered 503 SlowDown
 * @param internalErrorRate fraction answered 500 InternalError
 * @param resetRate         fraction whose connection is closed (RST) instead of answered
 * @param slowRate          fraction answered {@code slowMs} later than the rest
 * @param slowMs            extra latency of a slow response
 * @param faultedOperations operations the faults apply to (S3 action names such as
 *                          PutObjectTagging); empty means every request
 * @param rateLimited       whether the per-prefix rate limit applies
 * @param writesPerSecond   S3's limit of PUT/COPY/POST/DELETE per prefix (3,500)
 * @param readsPerSecond    S3's limit of GET/HEAD per prefix (5,500)
 * @param rateScale         multiplies both limits, to scale S3 down to a small machine
 */
record LoadSettings(int latencyMs, double slowDownRate, double internalErrorRate,
    double resetRate, double slowRate, int slowMs, Set<String> faultedOperations,
    boolean rateLimited, int writesPerSecond, int readsPerSecond, double rateScale) {

  LoadSettings {
    faultedOperations = Set.copyOf(faultedOperations);
    double faults = slowDownRate + internalErrorRate + resetRate;
    if (faults < 0 || faults > 1 || slowRate < 0 || slowRate > 1) {
      throw new IllegalArgumentException("fault rates must be fractions that sum to at most 1");
    }
  }

  static LoadSettings none() {
    return new LoadSettings(0, 0, 0, 0, 0, 0, Set.of(), false, 3500, 5500, 1.0);
  }

  LoadSettings withLatency(int latencyMs) {
    return new LoadSettings(latencyMs, slowDownRate, internalErrorRate, resetRate, slowRate,
        slowMs, faultedOperations, rateLimited, writesPerSecond, readsPerSecond, rateScale);
  }

  LoadSettings withFaults(double slowDownRate, double internalErrorRate, double resetRate) {
    return new LoadSettings(latencyMs, slowDownRate, internalErrorRate, resetRate, slowRate,
        slowMs, faultedOperations, rateLimited, writesPerSecond, readsPerSecond, rateScale);
  }

  LoadSettings withSlowResponses(double slowRate, int slowMs) {
    return new LoadSettings(latencyMs, slowDownRate, internalErrorRate, resetRate, slowRate,
        slowMs, faultedOperations, rateLimited, writesPerSecond, readsPerSecond, rateScale);
  }

  LoadSettings withFaultedOperations(Set<String> operations) {
    return new LoadSettings(latencyMs, slowDownRate, internalErrorRate, resetRate, slowRate,
        slowMs, operations, rateLimited, writesPerSecond, readsPerSecond, rateScale);
  }

  /** S3's limits (3,500 writes and 5,500 reads per second per prefix) times {@code scale}. */
  LoadSettings withRateLimit(double scale) {
    return new LoadSettings(latencyMs, slowDownRate, internalErrorRate, resetRate, slowRate,
        slowMs, faultedOperations, true, writesPerSecond, readsPerSecond, scale);
  }

  boolean faults(String operation) {
    return faultedOperations.isEmpty() || faultedOperations.contains(operation);
  }
}
