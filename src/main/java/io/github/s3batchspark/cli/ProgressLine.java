package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.LiveProgress;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The run command's progress line on stderr: redrawn in place on a terminal, one line every
 * {@link #LOG_EVERY_NANOS} otherwise (a log file or a CI console keeps every line).
 */
final class ProgressLine implements Consumer<LiveProgress> {
  static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final PrintStream err;
  private final boolean terminal;
  private long lastLine = Long.MIN_VALUE;
  private int drawnWidth;

  ProgressLine(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public synchronized void accept(LiveProgress p) {
    String line = format(p);
    if (terminal) {
      err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
      err.flush();
      drawnWidth = line.length();
    } else if (lastLine == Long.MIN_VALUE || System.nanoTime() - lastLine >= LOG_EVERY_NANOS) {
      err.println(line);
      lastLine = System.nanoTime();
    }
  }

  /** Ends a line drawn in place, so that what follows starts on its own. */
  synchronized void finish() {
    if (terminal && drawnWidth > 0) {
      err.println();
      drawnWidth = 0;
    }
  }

  static String format(LiveProgress p) {
    StringBuilder s = new StringBuilder(String.format("Job %s: %.1f%% (%,d of %,d), %,.0f objects/s,"
        + " %,d failed, %,d retries, %,d SlowDown", p.jobId().substring(0, 8), p.percent(),
        p.done(), p.total(), p.objectsPerSecond(), p.failed(), p.retried(), p.throttled()));
    long eta = p.etaSeconds();
    s.append(eta < 0 ? ", ETA unknown" : String.format(", ETA %d:%02d:%02d", eta / 3600,
        eta / 60 % 60, eta % 60));
    return s.toString();
  }
}
