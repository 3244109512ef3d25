package io.github.s3batchspark.report;

import io.github.s3batchspark.execution.TaskResult;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark shape of a task result row, and the conversions between {@link TaskResult} and
 * {@link Row}.
 *
 * <p>Executors turn their {@code TaskResult}s into rows inside {@code mapPartitions} with
 * {@link #encoder()}; the report stage reads them back by the column names below.
 * {@code http_status_code} is null when the task got no HTTP answer at all (a {@code TaskResult}
 * says 0 then), so that a query never mistakes "no answer" for a status.
 */
public final class TaskResultSchema {
  public static final String TASK_ID = "task_id";
  public static final String BUCKET = "bucket";
  public static final String KEY = "key";
  public static final String VERSION_ID = "version_id";
  public static final String TASK_STATUS = "task_status";
  public static final String ERROR_CODE = "error_code";
  public static final String HTTP_STATUS_CODE = "http_status_code";
  public static final String RESULT_MESSAGE = "result_message";
  public static final String ATTEMPTS = "attempts";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";

  private static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField(TASK_ID, DataTypes.LongType, false),
      DataTypes.createStructField(BUCKET, DataTypes.StringType, false),
      DataTypes.createStructField(KEY, DataTypes.StringType, false),
      DataTypes.createStructField(VERSION_ID, DataTypes.StringType, true),
      DataTypes.createStructField(TASK_STATUS, DataTypes.StringType, false),
      DataTypes.createStructField(ERROR_CODE, DataTypes.StringType, true),
      DataTypes.createStructField(HTTP_STATUS_CODE, DataTypes.IntegerType, true),
      DataTypes.createStructField(RESULT_MESSAGE, DataTypes.StringType, true),
      DataTypes.createStructField(ATTEMPTS, DataTypes.IntegerType, false),
      DataTypes.createStructField(STARTED_AT, DataTypes.TimestampType, false),
      DataTypes.createStructField(FINISHED_AT, DataTypes.TimestampType, false)});

  private TaskResultSchema() {}

  /** The columns of a result row, in this order. */
  public static StructType schema() {
    return SCHEMA;
  }

  /**
   * The encoder of result rows for {@code mapPartitions}.
   *
   * <p>Lenient about timestamps: it takes {@code java.sql.Timestamp} (what {@link #toRow} makes)
   * whatever {@code spark.sql.datetime.java8API.enabled} says, where {@code Encoders.row} would
   * insist on {@code Instant} when that setting is on.
   */
  public static Encoder<Row> encoder() {
    return ExpressionEncoder.apply(SCHEMA, true);
  }

  public static Row toRow(TaskResult r) {
    return RowFactory.create(r.taskId(), r.bucket(), r.key(), r.versionId(), r.taskStatus(),
        r.errorCode(), r.httpStatusCode() == 0 ? null : r.httpStatusCode(), r.resultMessage(),
        r.attempts(), new Timestamp(r.startedAt()), new Timestamp(r.finishedAt()));
  }

  /** Reads a row that has at least the columns of {@link #schema()}, by name. */
  public static TaskResult fromRow(Row row) {
    Integer http = row.getAs(HTTP_STATUS_CODE);
    return new TaskResult(row.<Long>getAs(TASK_ID), row.getAs(BUCKET), row.getAs(KEY),
        row.getAs(VERSION_ID), row.getAs(TASK_STATUS), row.getAs(ERROR_CODE),
        http == null ? 0 : http, row.getAs(RESULT_MESSAGE), row.<Integer>getAs(ATTEMPTS),
        epochMillis(row.getAs(STARTED_AT)), epochMillis(row.getAs(FINISHED_AT)));
  }

  private static long epochMillis(Object timestamp) {
    if (timestamp instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    return ((Timestamp) timestamp).getTime();
  }
}
