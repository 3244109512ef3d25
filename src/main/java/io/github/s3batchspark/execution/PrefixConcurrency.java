package io.github.s3batchspark.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * How many requests each key prefix may have in flight from this executor JVM, learnt from the
 * store's answers, as S3 asks clients to behave: a prefix that answers 503 SlowDown (or any
 * throttling code) gets fewer requests at once, and more again while it answers without
 * complaint.
 *
 * <p>A prefix is the bucket and the key up to its last {@code /}: the unit S3 rates (3,500
 * writes and 5,500 reads per second per prefix before it splits the prefix). A prefix that was
 * never throttled has no limit and costs nothing; only prefixes that complained are tracked,
 * and one idle for {@link #FORGET_NANOS} is forgotten (S3 will have scaled by then, and a
 * single SlowDown teaches the limit again).
 *
 * <p>The limit moves like TCP's congestion window, with changes sized for S3: on a throttled
 * answer it drops to the prefix's requests in flight times {@code 1 - f} (the share {@code f}
 * of answers throttled since the last drop), kept between one half and {@value #DECREASE};
 * answers to requests sent before that drop do not drop it again, since they were sent at the
 * old rate. Each unthrottled answer while the limit is reached raises it by
 * {@value #INCREASE_PER_ROUND_TRIP} divided by the limit, a quarter of a request per round
 * trip: slow enough that a prefix held at its rate refuses few requests, fast enough to climb
 * back within seconds when the throttling stops.
 *
 * <p>One instance is shared by every partition of the JVM ({@link #shared()}), because they
 * all send to the same prefixes; the counters are per prefix, updated atomically.
 */
public final class PrefixConcurrency {
  static final double DECREASE = 0.9;
  static final double STEEPEST_DECREASE = 0.5;
  static final double INCREASE_PER_ROUND_TRIP = 0.25;
  static final long FORGET_NANOS = 60_000_000_000L;

  private static final PrefixConcurrency SHARED = new PrefixConcurrency();

  private final ConcurrentHashMap<String, State> prefixes = new ConcurrentHashMap<>();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong decreases = new AtomicLong();

  /** What an answer says about the prefix's rate. */
  public enum Signal {
    /** answered without complaint: the prefix took the request */
    ACCEPTED,
    /** 503 SlowDown, 429 or a throttling code: too many requests for this prefix */
    THROTTLED,
    /** anything else (404, 412, 500, a broken connection): says nothing about the rate */
    NEUTRAL
  }

  /** The limits of this executor JVM, shared by all its partitions. */
  public static PrefixConcurrency shared() {
    return SHARED;
  }

  /** A fresh set of limits, for a runner that must not share what it learns (tests). */
  public static PrefixConcurrency isolated() {
    return new PrefixConcurrency();
  }

  /** The prefix a task's requests count against: its bucket and key up to the last slash. */
  public static String prefixOf(ObjectTask task) {
    String key = task.key();
    return task.bucket() + "/" + key.substring(0, key.lastIndexOf('/') + 1);
  }

  /**
   * Takes a slot of {@code prefix} when its limit allows, else registers {@code onRelease},
   * which is called once (on whichever thread releases a slot next) with the prefix. Taking and
   * registering are one atomic step, so a release cannot be missed in between.
   */
  public boolean acquireOrWait(String prefix, Consumer<String> onRelease) {
    boolean[] acquired = {false};
    prefixes.compute(prefix, (p, s) -> {
      State state = s == null ? new State() : s;
      if (state.admits()) {
        state.inFlight++;
        acquired[0] = true;
      } else {
        state.waiters.add(onRelease);
      }
      return state;
    });
    return acquired[0];
  }

  /**
   * Gives back the slot of a request that {@code startedAt} (System.nanoTime) and ended with
   * {@code signal}, adjusting the prefix's limit, and wakes whoever waits for the prefix.
   */
  public void release(String prefix, long startedAt, Signal signal) {
    List<Consumer<String>> wake = new ArrayList<>();
    prefixes.computeIfPresent(prefix, (p, state) -> {
      long now = System.nanoTime();
      state.learn(signal, startedAt, now);
      state.inFlight--;
      wake.addAll(state.waiters);
      state.waiters.clear();
      return state.forgettable(now) ? null : state;
    });
    wake.forEach(w -> w.accept(prefix));
  }

  /**
   * The limit of {@code prefix} now, or {@link Integer#MAX_VALUE} while it has none (it never
   * complained, or was forgotten).
   */
  public int limit(String prefix) {
    State s = prefixes.get(prefix);
    return s == null || Double.isInfinite(s.limit) ? Integer.MAX_VALUE : s.allowed();
  }

  /** Throttled answers seen, and the drops of a limit they caused, since this JVM started. */
  public long throttledAnswers() {
    return throttled.get();
  }

  public long decreases() {
    return decreases.get();
  }

  /** Mutated only inside the map's compute, which serialises access per prefix. */
  private final class State {
    int inFlight;
    double limit = Double.POSITIVE_INFINITY;
    long decreasedAt = Long.MIN_VALUE;
    long lastThrottledAt = Long.MIN_VALUE;
    long acceptedSinceDecrease;
    long throttledSinceDecrease;
    final List<Consumer<String>> waiters = new ArrayList<>(1);

    boolean admits() {
      return inFlight < allowed();
    }

    int allowed() {
      return Double.isInfinite(limit) ? Integer.MAX_VALUE : Math.max(1, (int) limit);
    }

    void learn(Signal signal, long startedAt, long now) {
      switch (signal) {
        case THROTTLED -> throttledAt(startedAt, now);
        case ACCEPTED -> {
          acceptedSinceDecrease++;
          if (!Double.isInfinite(limit) && inFlight >= allowed()) {
            limit += INCREASE_PER_ROUND_TRIP / limit;
          }
        }
        case NEUTRAL -> { }
      }
    }

    private void throttledAt(long startedAt, long now) {
      throttled.incrementAndGet();
      throttledSinceDecrease++;
      lastThrottledAt = now;
      if (startedAt < decreasedAt) {
        return; // sent before the last drop, at the old rate: already accounted for
      }
      double share = (double) throttledSinceDecrease
          / (throttledSinceDecrease + acceptedSinceDecrease);
      double factor = Math.max(STEEPEST_DECREASE, Math.min(DECREASE, 1 - share));
      limit = Math.max(1, Math.min(limit, inFlight) * factor);
      decreasedAt = now;
      acceptedSinceDecrease = 0;
      throttledSinceDecrease = 0;
      decreases.incrementAndGet();
    }

    boolean forgettable(long now) {
      return inFlight == 0 && waiters.isEmpty()
          && (Double.isInfinite(limit) || now - lastThrottledAt > FORGET_NANOS);
    }
  }
}
