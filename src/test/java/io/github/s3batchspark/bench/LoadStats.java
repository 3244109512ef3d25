package io.github.s3batchspark.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the load server saw: requests by S3 action, faults injected, answers by status. */
final class LoadStats {
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger mostPending = new AtomicInteger();
  private final Map<String, long[]> spans = new ConcurrentHashMap<>();

  /** A request arrived whose answer has not left yet. */
  void arrived() {
    int now = pending.incrementAndGet();
    mostPending.accumulateAndGet(now, Math::max);
  }

  void answered() {
    pending.decrementAndGet();
  }

  /**
   * The most requests that waited for their answer at once since the last call: what a client
   * really kept in flight, whatever its settings say.
   */
  int takeMostPending() {
    return mostPending.getAndSet(pending.get());
  }

  void request(String action) {
    count("requests");
    count("action." + action);
  }

  void count(String name) {
    counters.computeIfAbsent(name, n -> new LongAdder()).increment();
  }

  /** Counts {@code name} and stretches its span (first and last time seen) to now. */
  void countTimed(String name) {
    count(name);
    long now = System.nanoTime();
    long[] span = spans.computeIfAbsent(name, n -> new long[] {now, now});
    synchronized (span) {
      span[0] = Math.min(span[0], now);
      span[1] = Math.max(span[1], now);
    }
  }

  /** Seconds between the first and last {@link #countTimed} of {@code name}; forgets the span. */
  double takeSpanSeconds(String name) {
    long[] span = spans.remove(name);
    if (span == null) {
      return 0;
    }
    synchronized (span) {
      return (span[1] - span[0]) / 1e9;
    }
  }

  /** When {@code name} was last counted by {@link #countTimed} (nanoTime), or 0. */
  long lastNanos(String name) {
    long[] span = spans.get(name);
    if (span == null) {
      return 0;
    }
    synchronized (span) {
      return span[1];
    }
  }

  long get(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  /** A copy of every counter, sorted by name. */
  Map<String, Long> snapshot() {
    Map<String, Long> s = new TreeMap<>();
    counters.forEach((k, v) -> s.put(k, v.sum()));
    return s;
  }

  /** The counts of one phase of a run (since {@code before}) and its most pending requests. */
  Map<String, Long> phase(Map<String, Long> before) {
    Map<String, Long> d = difference(before, snapshot());
    d.put("most_in_flight", (long) takeMostPending());
    return d;
  }

  /** What changed since {@code before}: the counts of one phase of a run. */
  static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach((k, v) -> {
      long delta = v - before.getOrDefault(k, 0L);
      if (delta != 0) {
        d.put(k, delta);
      }
    });
    return d;
  }
}
