package io.github.s3batchspark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A contender that is a process of its own (rclone, or a fresh JVM in the cold run), run under
 * {@code /usr/bin/time} so that its CPU is its own: user plus system time of the process and the
 * children it waited for, not the bench JVM's, which then holds only the load server's work.
 * Wall time is taken here, from start to exit, as a user would see it.
 */
final class TimedProcess {
  static final String TIME = "/usr/bin/time";

  private TimedProcess() {}

  /** How the process ended; {@code lastErrorLine} is the last line it wrote to stderr. */
  record Outcome(int exit, double seconds, double cpuSeconds, String lastErrorLine) {}

  /**
   * Runs {@code command} with {@code env} added to this process's environment and {@code unset}
   * taken out of it, its stdout to {@code out} and stderr to {@code err} (both files), killed
   * after {@code limit}.
   */
  static Outcome run(List<String> command, Map<String, String> env, List<String> unset,
      Path out, Path err, Duration limit) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(TIME))) {
      throw new IllegalArgumentException(TIME + " is missing: it measures a child process's CPU;"
          + " install it with apt-get install time");
    }
    Path times = Path.of(out + ".time");
    List<String> timed = new ArrayList<>(List.of(TIME, "-o", times.toString(), "-f", "%U %S"));
    timed.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(timed)
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    builder.environment().keySet().removeAll(unset);
    long started = System.nanoTime();
    Process p = builder.start();
    boolean ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String lastLine = lastLine(Files.readString(err));
    if (!ended) {
      return new Outcome(-1, seconds, 0, "killed at the time limit of " + limit.toSeconds()
          + " s; last: " + lastLine);
    }
    return new Outcome(p.exitValue(), seconds, cpuSeconds(times), lastLine);
  }

  /** The last line of time's output: "user system" (a killed child adds a line above it). */
  private static double cpuSeconds(Path times) throws IOException {
    List<String> lines = Files.readAllLines(times);
    String[] parts = lines.get(lines.size() - 1).trim().split("\\s+");
    return Double.parseDouble(parts[0]) + Double.parseDouble(parts[1]);
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }
}
