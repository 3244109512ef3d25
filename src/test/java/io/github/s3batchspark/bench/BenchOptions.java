package io.github.s3batchspark.bench;

import java.util.Map;

/** Reads the {@code --name value} options of {@code scripts/bench}, parsed into a map. */
final class BenchOptions {
  private BenchOptions() {}

  /** A whole number, written with or without separators ({@code 5_000_000}, {@code 5,000,000}). */
  static int wholeNumber(Map<String, String> options, String name, int fallback) {
    String v = options.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, got " + v);
    }
  }
}
