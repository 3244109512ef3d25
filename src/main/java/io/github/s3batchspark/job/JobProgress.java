package io.github.s3batchspark.job;

import java.io.Serializable;

/**
 * The counts DescribeJob shows as {@code ProgressSummary}. The report package aggregates task
 * results into its own summary; the job runner turns that into one of these.
 *
 * @param totalNumberOfTasks         manifest rows the job will process (0 until prepared)
 * @param numberOfTasksSucceeded     tasks that ended succeeded
 * @param numberOfTasksFailed        tasks that ended failed
 * @param elapsedTimeInActiveSeconds time the job has spent Active, over all its runs
 */
public record JobProgress(long totalNumberOfTasks, long numberOfTasksSucceeded,
    long numberOfTasksFailed, long elapsedTimeInActiveSeconds) implements Serializable {

  public JobProgress {
    if (totalNumberOfTasks < 0 || numberOfTasksSucceeded < 0 || numberOfTasksFailed < 0
        || elapsedTimeInActiveSeconds < 0) {
      throw new IllegalArgumentException("job progress counts cannot be negative: " + this);
    }
  }

  public static JobProgress none() {
    return new JobProgress(0, 0, 0, 0);
  }

  /** Tasks that have ended either way. */
  public long numberOfTasksDone() {
    return numberOfTasksSucceeded + numberOfTasksFailed;
  }
}
