package io.github.s3batchspark.job;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A job's numbered manifest in its job directory: there whole, or not at all.
 *
 * <p>It is written to a sibling directory ({@code manifest.building}) and renamed into place
 * once complete; its {@code _SUCCESS} marker is written last, after the rename (which an object
 * store does file by file), and only a directory with the marker is taken as the manifest. A
 * prepare that fails deletes what it wrote; one that is killed leaves at most the sibling, which
 * the next prepare deletes before it starts. So a later run never takes a half-built manifest
 * for the job's task list.
 */
final class PreparedManifest {
  static final String BUILDING_SUFFIX = ".building";
  private static final String MARKER = "_SUCCESS";

  private PreparedManifest() {}

  /**
   * The manifest at {@code manifest}, built first by {@code writeTo} (which writes Parquet to the
   * path it is given) unless a complete one is there.
   */
  static Dataset<Row> readOrBuild(SparkSession spark, Path manifest, Consumer<String> writeTo) {
    try {
      FileSystem fs = manifest.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(new Path(manifest, MARKER))) {
        build(fs, manifest, writeTo);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot prepare the job's manifest in " + manifest + ": "
          + e.getMessage() + "; check that the job store is writable", e);
    }
    return spark.read().parquet(manifest.toString());
  }

  private static void build(FileSystem fs, Path manifest, Consumer<String> writeTo)
      throws IOException {
    Path building = manifest.suffix(BUILDING_SUFFIX);
    fs.delete(building, true); // left by a prepare that was killed
    try {
      writeTo.accept(building.toString());
      fs.delete(new Path(building, MARKER), false);
      fs.delete(manifest, true); // incomplete: it has no marker
      if (!fs.rename(building, manifest)) {
        throw new IOException("cannot rename " + building + " to " + manifest);
      }
      fs.create(new Path(manifest, MARKER), true).close();
    } catch (Exception e) { // Spark throws its checked SparkException unchecked
      deleteAfterFailure(fs, building, e);
      deleteAfterFailure(fs, manifest, e);
      throw e;
    }
  }

  private static void deleteAfterFailure(FileSystem fs, Path path, Exception failure) {
    try {
      fs.delete(path, true);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
