package io.github.s3batchspark.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A static method that a hostile job spec would call through {@code reflect},
 * {@code java_method} or {@code try_reflect}: every call is counted, so a test proves that no
 * filter ever reached it.
 */
public final class Canary {
  private static final AtomicInteger CALLS = new AtomicInteger();

  private Canary() {}

  /** What the attack calls; answers a string so that Spark's reflect accepts the method. */
  public static String sing(String anything) {
    CALLS.incrementAndGet();
    return "tweet";
  }

  /** How many times {@link #sing} ran in this JVM. */
  public static int calls() {
    return CALLS.get();
  }

  /** The filter calls that would reach {@link #sing}, one per Spark function that calls Java. */
  public static java.util.List<String> attacks() {
    String self = Canary.class.getName();
    return java.util.List.of(
        "reflect('" + self + "', 'sing', key) = 'tweet'",
        "java_method('" + self + "', 'sing', key) = 'tweet'",
        "try_reflect('" + self + "', 'sing', key) = 'tweet'");
  }
}
