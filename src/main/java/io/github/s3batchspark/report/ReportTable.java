package io.github.s3batchspark.report;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A job's task results as a Parquet table that Spark SQL can query: every column of
 * {@link TaskResultSchema}, partitioned by {@code task_status}, so that "what failed, and why"
 * reads only the failed tasks. The path is any Hadoop path: a local directory, {@code s3a://},
 * or EMRFS on a cluster.
 */
public final class ReportTable {
  private ReportTable() {}

  /**
   * Writes the results to {@code path}, replacing a table already there: the report of a job
   * is what its last run ended with. Spark's output commit makes the table appear whole or not
   * at all.
   */
  public static void write(Dataset<Row> results, String path) {
    results.select(columns())
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(TaskResultSchema.TASK_STATUS)
        .parquet(path);
  }

  /**
   * The table at {@code path}, with the columns in {@link TaskResultSchema}'s order. As with any
   * Parquet table Spark reads, every column is nullable; filters on {@code task_status} read only
   * that partition.
   */
  public static Dataset<Row> read(SparkSession spark, String path) {
    return spark.read().schema(TaskResultSchema.schema()).parquet(path).select(columns());
  }

  private static Column[] columns() {
    return Arrays.stream(TaskResultSchema.schema().fieldNames())
        .map(name -> col(name))
        .toArray(Column[]::new);
  }
}
