package io.github.s3batchspark.report;

import static io.github.s3batchspark.report.ReportFixtures.failed;
import static io.github.s3batchspark.report.ReportFixtures.results;
import static io.github.s3batchspark.report.ReportFixtures.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.testing.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

class ReportProgressSummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void progressSummaryCountsTasksByStatusAndTheActiveSpan() {
    List<TaskResult> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(i < 3 ? failed(i, "b", "k" + i, 404, "NoSuchKey", "gone")
          : succeeded(i, "b", "k" + i, "Successful"));
    }
    // The first task starts at T0, the last ends at T0 + 3,500 ms.
    tasks.add(new TaskResult(10, "b", "late", null, TaskResult.SUCCEEDED, null, 200, null, 1,
        ReportFixtures.T0 + 100, ReportFixtures.T0 + 3_500));

    ProgressSummary summary = ProgressSummary.of(results(tasks, 3));

    assertEquals(new ProgressSummary(11, 8, 3, new ProgressSummary.Timers(3)), summary);
  }

  @Test
  void progressSummaryReadsTheResultsOnce() {
    LongAccumulator produced = LocalSpark.session().sparkContext().longAccumulator("rows");
    Dataset<Row> rows = LocalSpark.session().range(0, 2_000, 1, 2)
        .map((MapFunction<Long, Row>) i -> {
          produced.add(1);
          return TaskResultSchema.toRow(i % 2 == 0 ? succeeded(i, "b", "k" + i, "Successful")
              : failed(i, "b", "k" + i, 503, "SlowDown", "Please reduce your request rate."));
        }, TaskResultSchema.encoder());

    ProgressSummary summary = ProgressSummary.of(rows);

    assertEquals(2_000, summary.totalNumberOfTasks());
    assertEquals(1_000, summary.numberOfTasksFailed());
    assertEquals(2_000, produced.value(), "every result row computed once: one aggregation");
  }

  @Test
  void progressSummaryOfNoResultsIsZero() {
    assertEquals(new ProgressSummary(0, 0, 0, new ProgressSummary.Timers(0)),
        ProgressSummary.of(results(List.of(), 1)));
  }

  @Test
  void progressSummaryIsWrittenAndReadWithDescribeJobsFieldNames() throws Exception {
    ProgressSummary summary = new ProgressSummary(1200, 1000, 200,
        new ProgressSummary.Timers(42));

    String json = JSON.writeValueAsString(summary);

    assertEquals("{\"TotalNumberOfTasks\":1200,\"NumberOfTasksSucceeded\":1000,"
        + "\"NumberOfTasksFailed\":200,\"Timers\":{\"ElapsedTimeInActiveSeconds\":42}}", json);
    assertEquals(summary, JSON.readValue(json, ProgressSummary.class));
  }

  @Test
  void jobBelowOneThousandFinishedTasksNeverFailsOnItsFailureRate() {
    assertFalse(ProgressSummary.taskFailureThresholdExceeded(0, 999));
    assertFalse(ProgressSummary.taskFailureThresholdExceeded(1, 998));
  }

  @Test
  void jobWithOneThousandFinishedTasksFailsWhenMoreThanHalfFailed() {
    assertTrue(ProgressSummary.taskFailureThresholdExceeded(0, 1000));
    assertTrue(ProgressSummary.taskFailureThresholdExceeded(499, 501));
    assertTrue(ProgressSummary.taskFailureThresholdExceeded(4_999, 5_001));
  }

  @Test
  void jobWithExactlyHalfItsTasksFailedGoesOn() {
    assertFalse(ProgressSummary.taskFailureThresholdExceeded(500, 500));
    assertFalse(ProgressSummary.taskFailureThresholdExceeded(5_000, 5_000));
  }

  @Test
  void failureThresholdOfASummaryJudgesTheFinishedTasksNotTheTotal() {
    ProgressSummary running = new ProgressSummary(1_000_000, 400, 600,
        new ProgressSummary.Timers(5));
    assertTrue(running.taskFailureThresholdExceeded());
    assertFalse(new ProgressSummary(1_000_000, 600, 400, new ProgressSummary.Timers(5))
        .taskFailureThresholdExceeded());
  }

  @Test
  void summaryKeepsItsCountsWhenTheRunnerSetsTotalAndActiveTime() {
    ProgressSummary fromResults = new ProgressSummary(1_000, 400, 600,
        new ProgressSummary.Timers(5));

    assertEquals(new ProgressSummary(1_000_000, 400, 600, new ProgressSummary.Timers(9)),
        fromResults.withTotalNumberOfTasks(1_000_000).withElapsedTimeInActiveSeconds(9));
  }
}
