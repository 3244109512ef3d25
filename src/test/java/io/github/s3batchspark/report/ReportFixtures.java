package io.github.s3batchspark.report;

import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.testing.LocalSpark;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/** Task results as the executors hand them over, and a reader of report CSV for the checks. */
final class ReportFixtures {
  static final long T0 = 1_700_000_000_000L;

  private ReportFixtures() {}

  static TaskResult succeeded(long id, String bucket, String key, String message) {
    return new TaskResult(id, bucket, key, null, TaskResult.SUCCEEDED, null, 200, message, 1,
        T0 + id, T0 + id + 40);
  }

  static TaskResult failed(long id, String bucket, String key, int http, String code,
      String message) {
    return new TaskResult(id, bucket, key, null, TaskResult.FAILED, code, http, message, 3,
        T0 + id, T0 + id + 90);
  }

  /**
   * The results in {@code partitions} partitions (one partition keeps their order), turned into rows inside {@code mapPartitions}
   * with {@link TaskResultSchema#encoder()} as the execution stage does.
   */
  static Dataset<Row> results(List<TaskResult> results, int partitions) {
    return LocalSpark.session()
        .createDataset(results, Encoders.javaSerialization(TaskResult.class))
        .transform(ds -> partitions == 1 ? ds.coalesce(1) : ds.repartition(partitions))
        .mapPartitions((MapPartitionsFunction<TaskResult, Row>) ReportFixtures::toRows,
            TaskResultSchema.encoder());
  }

  private static Iterator<Row> toRows(Iterator<TaskResult> results) {
    List<Row> rows = new ArrayList<>();
    results.forEachRemaining(r -> rows.add(TaskResultSchema.toRow(r)));
    return rows.iterator();
  }

  /** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
  static List<List<String>> csvRecords(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !record.isEmpty()) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }
}
