package io.github.s3batchspark.job;

import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * What whoever starts a run may attach to it: a watcher of its live counts, the share of the
 * requests in flight it may take and the cap on the objects it starts per second (when jobs run
 * side by side, by priority), and a hand on its {@link JobControl} once it holds the job (to
 * pause it when the service stops, to read its counts).
 *
 * @param watcher         given the live counts at every heartbeat while the tasks run
 * @param share           the run's share of each partition's window, asked every second
 * @param startsPerSecond the objects per second all the run's tasks together may start,
 *                        {@code +Infinity} for no cap; asked every second
 * @param started         given the run's control once it holds the job's lease
 */
public record RunHooks(Consumer<LiveProgress> watcher, DoubleSupplier share,
    DoubleSupplier startsPerSecond, Consumer<JobControl> started) {

  public static RunHooks none() {
    return new RunHooks(progress -> { }, () -> 1.0, () -> Double.POSITIVE_INFINITY,
        control -> { });
  }

  public static RunHooks watching(Consumer<LiveProgress> watcher) {
    return none().withWatcher(watcher);
  }

  public RunHooks withWatcher(Consumer<LiveProgress> newWatcher) {
    return new RunHooks(newWatcher, share, startsPerSecond, started);
  }

  public RunHooks withShare(DoubleSupplier newShare) {
    return new RunHooks(watcher, newShare, startsPerSecond, started);
  }

  public RunHooks withStartsPerSecond(DoubleSupplier newStartsPerSecond) {
    return new RunHooks(watcher, share, newStartsPerSecond, started);
  }

  public RunHooks onStart(Consumer<JobControl> newStarted) {
    return new RunHooks(watcher, share, startsPerSecond, newStarted);
  }
}
