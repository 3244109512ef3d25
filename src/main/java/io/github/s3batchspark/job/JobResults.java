package io.github.s3batchspark.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.github.s3batchspark.report.TaskResultSchema;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * A job's task results as its runs committed them, wave by wave
 * ({@link JobDirectory#results()}, {@code run=<millis>/wave=<n>}).
 *
 * @param location the results directory
 * @param resumed  whether more than one run wrote there, so that a task may have several rows
 *                 and only its latest counts
 */
public record JobResults(String location, boolean resumed) {

  /** The results an earlier run of the job left, or null when it has none. */
  static JobResults previous(SparkSession spark, JobDirectory directory) {
    return exists(spark, directory.results()) ? new JobResults(directory.results(), true) : null;
  }

  /**
   * Every task's latest result, in {@link TaskResultSchema}. A first run holds each task once
   * (its waves are disjoint), so only a resumed job pays for the shuffle that picks the latest
   * row per task.
   */
  public Dataset<Row> latest(SparkSession spark) {
    Dataset<Row> all = all(spark);
    if (resumed) {
      var latest = Window.partitionBy(col(TaskResultSchema.TASK_ID))
          .orderBy(col("run").desc(), col(TaskResultSchema.FINISHED_AT).desc());
      all = all.withColumn("_n", row_number().over(latest)).filter(col("_n").equalTo(1));
    }
    return all.select(Arrays.stream(TaskResultSchema.schema().fieldNames())
        .map(functions::col).toArray(Column[]::new));
  }

  /** Every row of every run and wave, with the {@code run} and {@code wave} they came from. */
  Dataset<Row> all(SparkSession spark) {
    StructType schema = TaskResultSchema.schema().add("run", "long").add("wave", "int");
    if (!exists(spark, location)) { // stopped (cancelled, paused) before any task ran
      return spark.createDataFrame(java.util.List.of(), schema);
    }
    return spark.read().schema(schema).parquet(location);
  }

  static boolean exists(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the job directory " + path + ": "
          + e.getMessage(), e);
    }
  }
}
