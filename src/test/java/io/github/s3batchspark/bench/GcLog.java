package io.github.s3batchspark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM's {@code -Xlog:gc} log says about its heap: the most any collection left in use
 * ({@code 512M->130M(1024M)}: 130 MiB), which bounds the live data from above (a young
 * collection leaves old garbage in place), the largest heap committed, and how many collections
 * ran, full ones apart.
 *
 * @param peakAfterMib    the highest heap use after a collection, MiB
 * @param heapMib         the largest committed heap a collection reported, MiB
 * @param collections     collections (distinct GC ids)
 * @param fullCollections full collections among them
 */
record GcLog(long peakAfterMib, long heapMib, int collections, int fullCollections) {
  private static final Pattern PAUSE = Pattern.compile(
      "GC\\((\\d+)\\) (.*?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  static GcLog read(Path log) throws IOException {
    if (!Files.exists(log)) {
      return new GcLog(0, 0, 0, 0);
    }
    return parse(Files.readAllLines(log));
  }

  static GcLog parse(List<String> lines) {
    long peak = 0;
    long heap = 0;
    Set<String> ids = new HashSet<>();
    int full = 0;
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (!m.find()) {
        continue;
      }
      ids.add(m.group(1));
      if (m.group(2).startsWith("Pause Full")) {
        full++;
      }
      peak = Math.max(peak, mib(m.group(5), m.group(6)));
      heap = Math.max(heap, mib(m.group(7), m.group(8)));
    }
    return new GcLog(peak, heap, ids.size(), full);
  }

  private static long mib(String value, String unit) {
    long v = Long.parseLong(value);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }
}
