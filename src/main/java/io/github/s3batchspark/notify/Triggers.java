package io.github.s3batchspark.notify;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service's triggers in the background until closed: the manifest queue is read
 * continuously (long polls), the schedule checked every few seconds. An error of one round is
 * logged and the next round tries again.
 */
public final class Triggers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Triggers.class);
  static final Duration CRON_CHECK = Duration.ofSeconds(5);

  private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "s3batch-trigger");
    t.setDaemon(true);
    return t;
  });

  /**
   * Starts the triggers given; either may be null.
   */
  public static Triggers start(ManifestTrigger manifests, CronTrigger schedule) {
    Triggers triggers = new Triggers();
    if (manifests != null) {
      // each poll waits up to its long-poll time for messages, so rounds follow each other
      triggers.threads.scheduleWithFixedDelay(() -> guarded("manifest queue", manifests::poll),
          0, 100, TimeUnit.MILLISECONDS);
    }
    if (schedule != null) {
      triggers.threads.scheduleWithFixedDelay(() -> guarded("schedule", schedule::check),
          CRON_CHECK.toMillis(), CRON_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }
    return triggers;
  }

  private static void guarded(String what, Runnable round) {
    try {
      round.run();
    } catch (RuntimeException e) {
      LOG.warn("Trigger ({}): {}; trying again", what, e.getMessage());
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
