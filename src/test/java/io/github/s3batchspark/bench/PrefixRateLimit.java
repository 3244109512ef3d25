package io.github.s3batchspark.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * S3's request-rate limit: each key prefix (the key up to its last slash) gets its own budget of
 * reads and of writes per second; a request past it is refused with 503 SlowDown. A token
 * bucket per prefix and kind, holding a tenth of a second of requests, so that a short burst
 * passes and a sustained excess does not.
 */
final class PrefixRateLimit {
  private static final double BURST_SECONDS = 0.1;

  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  /** True when the request may go ahead; false means answer SlowDown. */
  boolean admit(String bucket, String key, boolean write, LoadSettings settings) {
    double rate = (write ? settings.writesPerSecond() : settings.readsPerSecond())
        * settings.rateScale();
    String prefix = bucket + "/" + key.substring(0, key.lastIndexOf('/') + 1)
        + (write ? "#w" : "#r");
    return buckets.computeIfAbsent(prefix, p -> new TokenBucket()).take(rate);
  }

  private static final class TokenBucket {
    private double tokens = -1;
    private long last;

    synchronized boolean take(double rate) {
      long now = System.nanoTime();
      double capacity = Math.max(1, rate * BURST_SECONDS);
      if (tokens < 0) {
        tokens = capacity;
      } else {
        tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
      }
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
