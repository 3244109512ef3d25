package io.github.s3batchspark.job;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;

import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.manifest.ManifestSchema;
import io.github.s3batchspark.report.TaskResultSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The order in which a job runs the tasks of an operation that keeps version order
 * ({@link io.github.s3batchspark.operation.ObjectOperation#keepsVersionOrder}): the versions of
 * one object oldest first, by the inventory's {@code is_latest} (the latest version last) and
 * {@code last_modified_date}, then by task id, which is the manifest's own order (all a CSV
 * manifest has).
 *
 * <p>A resumed job does not run a task whose object had a later version succeed in an earlier
 * run: the task fails with {@value #LATER_VERSION_STARTED} and is not run.
 *
 * <p>Each partition runs in rounds: every object's oldest version, then every object's next
 * one, and so on. So the versions of one object are spread over the partition, and an object
 * with thousands of versions does not fill the runner's window with tasks that can only run
 * one at a time. Within a round the objects come in the order of a hash of their key, as in
 * every job, so that a round does not go through the prefixes one after another.
 */
final class VersionOrder {
  /** The error code of a version not run because a later one of its object already was. */
  static final String LATER_VERSION_STARTED = "LaterVersionStarted";

  private static final String RANK = "_version_rank";
  private static final String NOT_RUN = "Not run: a later version of this object succeeded in "
      + "an earlier run of this job, and running this one now would put an older version over "
      + "a newer one. Run a new job for this version if it is still needed";

  private VersionOrder() {}

  /** Tasks hash-partitioned by key, each partition sorted in rounds of versions. */
  static Dataset<Row> partitioned(Dataset<Row> tasks, int partitions) {
    return tasks.repartition(partitions, col(ManifestSchema.KEY))
        .withColumn(RANK, rank(tasks))
        .sortWithinPartitions(col(RANK), RunTasks.spreadInTime(), col(ManifestSchema.BUCKET),
            col(ManifestSchema.KEY))
        .drop(RANK);
  }

  /**
   * The tasks of about {@code size} of {@code total}, whole objects only: a first wave cut by
   * task id could run an object's newer version in the first wave and an older one after it.
   */
  static Column firstWave(long total, long size) {
    long waves = Math.max(1, total / Math.max(1, size));
    return pmod(hash(col(ManifestSchema.BUCKET), col(ManifestSchema.KEY)), lit(waves))
        .equalTo(0);
  }

  /**
   * The tasks of {@code pending} whose object already has a later version done in an earlier run
   * of the job: running them now would put an older version over a newer one.
   */
  static Dataset<Row> overtaken(Dataset<Row> pending, Dataset<Row> manifest,
      Dataset<Row> succeeded) {
    Dataset<Row> ranked = manifest.withColumn(RANK, rank(manifest));
    Dataset<Row> done = ranked
        .join(succeeded.select(col(ManifestSchema.TASK_ID).as("_done_id")),
            col(ManifestSchema.TASK_ID).equalTo(col("_done_id")), "left_semi")
        .select(col(ManifestSchema.BUCKET).as("_done_bucket"),
            col(ManifestSchema.KEY).as("_done_key"), col(RANK).as("_done_rank"));
    return ranked
        .join(pending.select(col(ManifestSchema.TASK_ID).as("_pending_id")),
            col(ManifestSchema.TASK_ID).equalTo(col("_pending_id")), "left_semi")
        .join(done, col(ManifestSchema.BUCKET).equalTo(col("_done_bucket"))
            .and(col(ManifestSchema.KEY).equalTo(col("_done_key")))
            .and(col("_done_rank").gt(col(RANK))), "left_semi")
        .drop(RANK);
  }

  /** A failed result for each overtaken task, which is not run ({@code attempts} 0). */
  static Dataset<Row> refused(Dataset<Row> overtaken) {
    long now = System.currentTimeMillis();
    return overtaken.select(col(ManifestSchema.TASK_ID), col(ManifestSchema.BUCKET),
            col(ManifestSchema.KEY), col(ManifestSchema.VERSION_ID))
        .map((MapFunction<Row, Row>) task -> TaskResultSchema.toRow(new TaskResult(
            task.getLong(0), task.getString(1), task.getString(2), task.getString(3),
            TaskResult.FAILED, LATER_VERSION_STARTED, 409, NOT_RUN, 0, now, now)),
            TaskResultSchema.encoder());
  }

  /** Each task's place among the tasks of its object: 1 for the oldest version. */
  private static Column rank(Dataset<Row> tasks) {
    List<String> columns = List.of(tasks.columns());
    List<Column> age = new ArrayList<>();
    if (columns.contains(ManifestSchema.IS_LATEST)) {
      age.add(coalesce(col(ManifestSchema.IS_LATEST), lit(false)).asc());
    }
    if (columns.contains(ManifestSchema.LAST_MODIFIED_DATE)) {
      age.add(col(ManifestSchema.LAST_MODIFIED_DATE).asc_nulls_first());
    }
    age.add(col(ManifestSchema.TASK_ID).asc());
    return row_number().over(Window.partitionBy(col(ManifestSchema.BUCKET),
        col(ManifestSchema.KEY)).orderBy(age.toArray(Column[]::new)));
  }
}
