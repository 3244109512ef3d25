package io.github.s3batchspark.job;

/**
 * A running job's counts as its driver sees them now: what {@code describe-job} shows from the
 * record a few seconds later, what the run's progress line draws.
 *
 * @param jobId              the job
 * @param total              tasks in the manifest
 * @param succeeded          tasks that ended succeeded, over all runs of the job
 * @param failed             tasks that ended failed in this run
 * @param retried            attempts retried in this run (throttling, 5xx, timeouts)
 * @param throttled          answers that were throttling (SlowDown, 503) in this run
 * @param activeSeconds      time the job has spent Active, over all its runs
 * @param objectsPerSecond   tasks ended per second since this run's tasks began
 */
public record LiveProgress(String jobId, long total, long succeeded, long failed, long retried,
    long throttled, long activeSeconds, double objectsPerSecond) {

  public long done() {
    return succeeded + failed;
  }

  /** Seconds until every task has ended at the current rate, or -1 when there is no rate yet. */
  public long etaSeconds() {
    if (objectsPerSecond <= 0) {
      return -1;
    }
    return (long) Math.ceil(Math.max(0, total - done()) / objectsPerSecond);
  }

  public double percent() {
    return total == 0 ? 0 : Math.min(100.0, 100.0 * done() / total);
  }

  JobProgress toJobProgress() {
    return new JobProgress(total, Math.min(total, succeeded),
        Math.min(total - Math.min(total, succeeded), failed), activeSeconds);
  }
}
