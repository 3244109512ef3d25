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
 * What a JVM's {@code -Xlog:gc} log says about its heap.
 *
 * <p>Two peaks, because a young collection leaves the old generation's garbage in place: the most
 * any collection left in use ({@code 512M->130M(1024M)}: 130 MiB), which with G1 mostly shows
 * where its marking threshold sits; and the most that a full collection asked for from outside
 * ({@code jcmd PID GC.run}, logged as "Diagnostic Command", a class histogram's, or
 * {@code System.gc()}) left, which
 * is the live data at that moment. Sampled that way during a run, the second is the peak of what
 * the job really holds.
 *
 * @param peakAfterMib    the highest heap use after any collection, MiB
 * @param peakLiveMib     the highest heap use after a requested full collection, MiB
 * @param liveSamples     how many such collections there were
 * @param heapMib         the largest committed heap a collection reported, MiB
 * @param collections     collections (distinct GC ids)
 * @param fullCollections full collections among them, requested ones included
 */
record GcLog(long peakAfterMib, long peakLiveMib, int liveSamples, long heapMib,
    int collections, int fullCollections) {
  private static final Pattern PAUSE = Pattern.compile(
      "GC\\((\\d+)\\) (.*?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  static GcLog read(Path log) throws IOException {
    if (!Files.exists(log)) {
      return new GcLog(0, 0, 0, 0, 0, 0);
    }
    return parse(Files.readAllLines(log));
  }

  static GcLog parse(List<String> lines) {
    long peak = 0;
    long live = 0;
    int samples = 0;
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
      long after = mib(m.group(5), m.group(6));
      peak = Math.max(peak, after);
      if (m.group(2).contains("(Diagnostic Command)") || m.group(2).contains("(System.gc())")
          || m.group(2).contains("(Heap Inspection Initiated GC)")) {
        live = Math.max(live, after);
        samples++;
      }
      heap = Math.max(heap, mib(m.group(7), m.group(8)));
    }
    return new GcLog(peak, live, samples, heap, ids.size(), full);
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
