package io.github.s3batchspark.report;

import static io.github.s3batchspark.report.ReportFixtures.failed;
import static io.github.s3batchspark.report.ReportFixtures.results;
import static io.github.s3batchspark.report.ReportFixtures.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTableTest {
  private final SparkSession spark = LocalSpark.session();

  @TempDir
  Path dir;

  private final List<TaskResult> tasks = List.of(
      succeeded(1, "photos", "a b.jpg", "Successful"),
      new TaskResult(2, "photos", "v.jpg", "3HL4kq", TaskResult.SUCCEEDED, null, 200, null, 1,
          ReportFixtures.T0, ReportFixtures.T0 + 7),
      failed(3, "photos", "gone.jpg", 404, "NoSuchKey", "The specified key does not exist."),
      failed(4, "photos", "slow.jpg", 0, "RequestTimeout", "no answer"));

  @Test
  void everyFieldOfATaskResultSurvivesTheRowsMadeInMapPartitions() {
    List<TaskResult> back = results(tasks, 2).collectAsList().stream()
        .map(TaskResultSchema::fromRow)
        .sorted(Comparator.comparingLong(TaskResult::taskId))
        .toList();

    assertEquals(tasks, back);
  }

  @Test
  void resultRowsHaveTheSnakeCaseSchemaWithTimestamps() {
    Dataset<Row> rows = results(tasks, 1);

    assertEquals(TaskResultSchema.schema(), rows.schema());
    assertEquals(List.of("task_id", "bucket", "key", "version_id", "task_status", "error_code",
        "http_status_code", "result_message", "attempts", "started_at", "finished_at"),
        List.of(rows.schema().fieldNames()));
    assertEquals("timestamp", rows.schema().apply("started_at").dataType().typeName());
    assertTrue(rows.filter("task_id = 4").first().isNullAt(6),
        "a task without an HTTP answer has a null status code");
  }

  @Test
  void reportTableReadsBackEveryResultUnchanged() {
    Dataset<Row> written = results(tasks, 2);
    String path = dir.resolve("job-1/results").toString();

    ReportTable.write(written, path);
    Dataset<Row> read = ReportTable.read(spark, path);

    assertEquals(columns(TaskResultSchema.schema()), columns(read.schema()));
    assertEquals(0, written.exceptAll(read).count());
    assertEquals(0, read.exceptAll(written).count());
    assertTrue(Files.isDirectory(dir.resolve("job-1/results/task_status=failed")),
        "partitioned by task_status");
  }

  /** Names and types: Parquet reads every column as nullable, whatever was written. */
  private static List<String> columns(StructType schema) {
    return Arrays.stream(schema.fields()).map(f -> f.name() + ":" + f.dataType().simpleString())
        .toList();
  }

  @Test
  void reportTableAnswersSparkSql() {
    String path = dir.resolve("job-2/results").toString();
    ReportTable.write(results(tasks, 2), path);
    ReportTable.read(spark, path).createOrReplaceTempView("job_2_results");

    List<Row> byCode = spark.sql("SELECT error_code, count(*) AS n FROM job_2_results "
        + "WHERE task_status = 'failed' GROUP BY error_code ORDER BY error_code").collectAsList();

    assertEquals(List.of("NoSuchKey", "RequestTimeout"),
        byCode.stream().map(r -> r.getString(0)).toList());
    assertEquals(1L, byCode.get(0).getLong(1));
  }

  @Test
  void reportTableWrittenAgainHoldsOnlyTheLastResults() {
    String path = dir.resolve("job-3/results").toString();
    ReportTable.write(results(tasks, 2), path);

    ReportTable.write(results(tasks.subList(0, 1), 1), path);

    assertEquals(1, ReportTable.read(spark, path).count());
  }
}
