package io.github.s3batchspark.report;

import static io.github.s3batchspark.report.TaskResultSchema.FINISHED_AT;
import static io.github.s3batchspark.report.TaskResultSchema.STARTED_AT;
import static io.github.s3batchspark.report.TaskResultSchema.TASK_STATUS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.s3batchspark.execution.TaskResult;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A job's progress in the shape of s3control's {@code JobProgressSummary} (what DescribeJob and
 * ListJobs return), which Jackson writes and reads with Amazon's field names.
 *
 * @param totalNumberOfTasks     tasks of the job (its manifest rows)
 * @param numberOfTasksSucceeded tasks that succeeded
 * @param numberOfTasksFailed    tasks that failed
 * @param timers                 how long the job has been active
 */
@JsonPropertyOrder({"TotalNumberOfTasks", "NumberOfTasksSucceeded", "NumberOfTasksFailed",
    "Timers"})
public record ProgressSummary(
    @JsonProperty("TotalNumberOfTasks") long totalNumberOfTasks,
    @JsonProperty("NumberOfTasksSucceeded") long numberOfTasksSucceeded,
    @JsonProperty("NumberOfTasksFailed") long numberOfTasksFailed,
    @JsonProperty("Timers") Timers timers) implements Serializable {

  /** Amazon judges the failure rate only once this many tasks have finished. */
  public static final long FAILURE_THRESHOLD_MIN_TASKS = 1_000;

  /** s3control's {@code JobTimers}. */
  public record Timers(@JsonProperty("ElapsedTimeInActiveSeconds") long elapsedTimeInActiveSeconds)
      implements Serializable {}

  /**
   * The progress that these results (rows of {@link TaskResultSchema}) show, counted in one Spark
   * aggregation. Every result is one task, so the total is the number of rows; the active time
   * is the span from the first task's start to the last task's end, whole seconds.
   */
  public static ProgressSummary of(Dataset<Row> results) {
    Row counts = results.agg(
        count(lit(1)),
        sum(when(col(TASK_STATUS).equalTo(TaskResult.SUCCEEDED), 1L).otherwise(0L)),
        sum(when(col(TASK_STATUS).equalTo(TaskResult.FAILED), 1L).otherwise(0L)),
        min(col(STARTED_AT)),
        max(col(FINISHED_AT)))
        .first();
    long elapsedMillis = counts.isNullAt(3) ? 0
        : epochMillis(counts.get(4)) - epochMillis(counts.get(3));
    return new ProgressSummary(counts.getLong(0), longOrZero(counts, 1), longOrZero(counts, 2),
        new Timers(Math.max(0, elapsedMillis) / 1000));
  }

  /** The same counts for a job whose manifest had {@code total} tasks, not all of them run. */
  public ProgressSummary withTotalNumberOfTasks(long total) {
    return new ProgressSummary(total, numberOfTasksSucceeded, numberOfTasksFailed, timers);
  }

  /** The same counts, with the active time the job runner measured itself. */
  public ProgressSummary withElapsedTimeInActiveSeconds(long seconds) {
    return new ProgressSummary(totalNumberOfTasks, numberOfTasksSucceeded, numberOfTasksFailed,
        new Timers(seconds));
  }

  /** Whether these counts make Amazon fail the job (see the static method of that name). */
  public boolean taskFailureThresholdExceeded() {
    return taskFailureThresholdExceeded(numberOfTasksSucceeded, numberOfTasksFailed);
  }

  /**
   * Amazon's task failure threshold: once at least 1,000 tasks have finished, a job whose failed
   * tasks are more than half of its finished tasks fails (status {@code Failed}) without running
   * the rest. Below 1,000 finished tasks, or at exactly half, it goes on.
   */
  public static boolean taskFailureThresholdExceeded(long succeeded, long failed) {
    long finished = succeeded + failed;
    return finished >= FAILURE_THRESHOLD_MIN_TASKS && failed * 2 > finished;
  }

  private static long longOrZero(Row row, int i) {
    return row.isNullAt(i) ? 0 : row.getLong(i);
  }

  private static long epochMillis(Object timestamp) {
    return timestamp instanceof Instant instant ? instant.toEpochMilli()
        : ((Timestamp) timestamp).getTime();
  }
}
