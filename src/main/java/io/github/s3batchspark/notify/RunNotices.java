package io.github.s3batchspark.notify;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.LiveProgress;
import io.github.s3batchspark.job.RunHooks;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a run of a job with its notices and metrics: a notice when the run holds the job (when
 * asked for), CloudWatch metrics from the live counts, and, when the job has ended Complete,
 * Failed or Cancelled, a notice and the final metrics. A paused run ends nothing and tells
 * nothing. Nothing sent here can change the run's outcome.
 */
public final class RunNotices {
  private static final Logger LOG = LoggerFactory.getLogger(RunNotices.class);

  private final NoticeSettings settings;
  private final Clock clock;
  private final NoticeSender sender;

  public RunNotices(NoticeSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.sender = new NoticeSender(settings);
  }

  /**
   * Runs {@code jobId} through {@code run} (given the hooks to run with) and tells of it.
   *
   * @return what {@code run} returned, the job as it ended
   */
  public JobRecord run(JobStore store, String jobId, RunHooks hooks,
      Function<RunHooks, JobRecord> run) {
    if (!settings.any()) {
      return run.apply(hooks);
    }
    JobMetrics metrics = settings.metrics() ? new JobMetrics(settings, clock) : null;
    JobRecord before = safeGet(store, jobId);
    JobRecord ended;
    try {
      ended = run.apply(watched(store, jobId, hooks, metrics));
    } catch (RuntimeException e) {
      // A run that stopped on an error may still have ended the job (Failed): say so, unless
      // it had ended before (another run ended it and told of it).
      if (before != null && !before.status().isTerminal()) {
        tellIfEnded(safeGet(store, jobId), metrics);
      }
      throw e;
    }
    tellIfEnded(ended, metrics);
    return ended;
  }

  private RunHooks watched(JobStore store, String jobId, RunHooks hooks, JobMetrics metrics) {
    Consumer<LiveProgress> watcher = hooks.watcher();
    RunHooks watched = hooks;
    if (metrics != null) {
      watched = watched.withWatcher(progress -> {
        watcher.accept(progress);
        metrics.accept(progress);
      });
    }
    if (settings.onStart()) {
      var started = hooks.started();
      watched = watched.onStart(control -> {
        started.accept(control);
        JobRecord job = safeGet(store, jobId);
        if (job != null) {
          sender.send(new JobNotice(job, clock.instant()));
        }
      });
    }
    return watched;
  }

  private void tellIfEnded(JobRecord job, JobMetrics metrics) {
    if (job == null || !job.status().isTerminal()) {
      return;
    }
    sender.send(new JobNotice(job, clock.instant()));
    if (metrics != null) {
      metrics.ended(job);
    }
  }

  private static JobRecord safeGet(JobStore store, String jobId) {
    try {
      return store.get(jobId);
    } catch (RuntimeException e) {
      LOG.warn("Job {}: cannot read its record to tell of it: {}", jobId, e.getMessage());
      return null;
    }
  }
}
