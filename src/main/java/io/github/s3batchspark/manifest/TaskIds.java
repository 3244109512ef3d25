package io.github.s3batchspark.manifest;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Numbers the manifest rows {@code 0..n-1} in a {@code task_id} column.
 *
 * <p>The ids come from {@code zipWithIndex}, which follows the order of the partitions and of
 * the rows in them: the same manifest read again yields the same ids (unlike
 * {@code monotonically_increasing_id}, which encodes the partition layout). Because the ids are
 * only as stable as the input, the job persists the numbered manifest once (Parquet) and every
 * later stage and every resumed run reads that copy.
 */
public final class TaskIds {
  private TaskIds() {}

  /** {@code manifest} with a non-null, unique {@code task_id} long column appended. */
  public static Dataset<Row> assign(Dataset<Row> manifest) {
    if (Arrays.asList(manifest.columns()).contains(ManifestSchema.TASK_ID)) {
      throw new ManifestException("The manifest already has a " + ManifestSchema.TASK_ID
          + " column: task ids are assigned once, when the manifest is first read");
    }
    StructType schema = manifest.schema().add(ManifestSchema.TASK_ID, DataTypes.LongType, false);
    int width = manifest.columns().length;
    JavaRDD<Row> numbered = manifest.javaRDD().zipWithIndex().map(rowAndIndex -> {
      Object[] values = new Object[width + 1];
      for (int i = 0; i < width; i++) {
        values[i] = rowAndIndex._1().get(i);
      }
      values[width] = rowAndIndex._2();
      return RowFactory.create(values);
    });
    return manifest.sparkSession().createDataFrame(numbered, schema);
  }
}
