package io.github.s3batchspark.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * {@code --profile DIR}: a Flight Recorder recording (the JDK's "profile" settings: execution
 * samples every 10 ms, allocation samples) around exactly one contender's timed run, dumped to
 * {@code DIR/<label>.jfr}. Recording the timed run alone, not its warm-up, is what lets two
 * contenders' samples be divided by the same number of objects and compared frame by frame
 * ({@code jfr print --events jdk.ExecutionSample}). Beside it, {@code DIR/<label>-threads.txt}
 * gives the CPU each kind of thread spent (threads named alike, numbers left out), per object:
 * exact where the samples are a sample.
 */
final class Profile {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Path dir;

  private Profile(Path dir) {
    this.dir = dir;
  }

  /** A profile into {@code dir}, or none when {@code dir} is null. */
  static Profile into(String dir) {
    return new Profile(dir == null ? null : Path.of(dir));
  }

  /** Runs {@code contender}, recorded when a directory was given. */
  Measurement record(String label, Supplier<Measurement> contender) {
    if (dir == null) {
      return contender.get();
    }
    try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
      recording.setName("bench " + label);
      Map<Long, Long> cpuBefore = threadCpu();
      long processBefore = Bench.cpuNanos();
      recording.start();
      Measurement m = contender.get();
      recording.stop();
      Map<String, Long> cpuByKind = cpuByKind(cpuBefore);
      long alive = cpuByKind.values().stream().mapToLong(Long::longValue).sum();
      cpuByKind.put("(the rest: GC and JIT threads, threads that ended, such as a closed client's)",
          Bench.cpuNanos() - processBefore - alive);
      Files.createDirectories(dir);
      Path file = dir.resolve(label + ".jfr");
      recording.dump(file);
      Files.write(dir.resolve(label + "-threads.txt"), threadLines(cpuByKind, m.done()));
      System.err.printf("bench: %s's timed run recorded in %s%n", label, file);
      return m;
    } catch (IOException | ParseException e) {
      throw new IllegalArgumentException("--profile " + dir + ": cannot record: "
          + e.getMessage());
    }
  }

  /** CPU nanoseconds of every live thread so far, by thread id. */
  private static Map<Long, Long> threadCpu() {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      cpu.put(id, THREADS.getThreadCpuTime(id));
    }
    return cpu;
  }

  /**
   * CPU nanoseconds spent since {@code before} by the threads alive now, summed by kind (the
   * name without its numbers). A thread that ended meanwhile is not counted.
   */
  private static Map<String, Long> cpuByKind(Map<Long, Long> before) {
    Map<String, Long> byKind = new TreeMap<>();
    for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long now = THREADS.getThreadCpuTime(info.getThreadId());
      long spent = now - before.getOrDefault(info.getThreadId(), 0L);
      if (now >= 0 && spent > 0) {
        byKind.merge(info.getThreadName().replaceAll("\\b\\d+\\b", "N"), spent, Long::sum);
      }
    }
    return byKind;
  }

  private static List<String> threadLines(Map<String, Long> byKind, long objects) {
    return byKind.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> String.format(Locale.ROOT, "%8.4f ms/object  %8.2f s  %s",
            e.getValue() / 1e6 / Math.max(1, objects), e.getValue() / 1e9, e.getKey()))
        .toList();
  }
}
