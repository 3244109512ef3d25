package io.github.s3batchspark.execution;

/**
 * A token bucket for the objects one partition starts: while a job's share caps its rate
 * ({@link Steering#startsPerSecond()}), a start takes a token, tokens come back at the capped
 * rate, and the bucket holds at most {@link #BURST_SECONDS} of them (at least one), so that a
 * partition idle for a while cannot then start a flood. Without a cap every start is granted.
 *
 * <p>Owned by the partition's iterating thread: no locks, no allocation per start. Times are
 * {@link System#nanoTime()} values the caller passes, so that one reading serves a whole
 * round of starts.
 */
final class StartPacer {
  /** The bucket's size, in seconds of starts at the capped rate. */
  static final double BURST_SECONDS = 0.05;
  /** The lowest cap obeyed: a cap near zero would park the partition for minutes. */
  static final double SLOWEST_PER_SECOND = 0.1;

  private double perSecond = Double.POSITIVE_INFINITY;
  private double tokens;
  private long updatedNanos;

  /** Whether starts are capped now. */
  boolean capped() {
    return perSecond != Double.POSITIVE_INFINITY;
  }

  /**
   * Takes the cap the steering says now: {@code +Infinity} (or anything not a positive number)
   * lifts it. A new cap after none starts with a full bucket; a changed one keeps the tokens
   * earned so far.
   */
  void pace(double wanted, long now) {
    double rate = Double.isNaN(wanted) || wanted <= 0 || wanted == Double.POSITIVE_INFINITY
        ? Double.POSITIVE_INFINITY : Math.max(SLOWEST_PER_SECOND, wanted);
    if (rate == perSecond) {
      return;
    }
    if (!capped()) {
      tokens = capacity(rate);
      updatedNanos = now;
    } else {
      refill(now);
    }
    perSecond = rate;
    tokens = Math.min(tokens, capacity(rate));
  }

  /** Takes a token for one start, if there is one. */
  boolean tryStart(long now) {
    if (!capped()) {
      return true;
    }
    refill(now);
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /** Nanoseconds until the next token is due (0 when there is one, or no cap). */
  long nanosUntilNextStart(long now) {
    if (!capped()) {
      return 0;
    }
    refill(now);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perSecond * 1e9);
  }

  private void refill(long now) {
    long elapsed = now - updatedNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity(perSecond), tokens + elapsed / 1e9 * perSecond);
      updatedNanos = now;
    }
  }

  private static double capacity(double perSecond) {
    return Math.max(1.0, perSecond * BURST_SECONDS);
  }
}
