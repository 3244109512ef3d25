package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The manifest stage's entry point: reads the manifest a job names (through its
 * {@link ManifestSource}) into the canonical manifest
 * schema ({@link ManifestSchema}) and applies its {@code ManifestFilter.Where}.
 *
 * <p>Everything that can make the manifest untrustworthy is checked here, before any object is
 * touched: the manifest object's ETag, every line of a CSV manifest, the MD5 of every inventory
 * data file, the filter expression. Each failure is a {@link ManifestException} naming the
 * manifest (or data file, or line) and what to fix. The driver decides, the executors read: no
 * source is held on the driver, so its memory does not grow with the manifest.
 */
public final class ManifestLoader {
  private ManifestLoader() {}

  /**
   * The manifest's rows, filtered, without task ids, computed by Spark when the result is used.
   * A CSV manifest has been read once already, in parallel, to check every line; inventory
   * data files have had their checksums verified.
   */
  public static Dataset<Row> load(SparkSession spark, ManifestRequest request,
      ClientSettings settings) {
    return ManifestFilter.apply(withoutTaskIds(rows(spark, ManifestSource.of(request),
        settings)), request.where());
  }

  /**
   * The rows the execution stage turns into tasks: {@link #load} numbered by {@link TaskIds}.
   * An unfiltered CSV manifest comes numbered from its check (the same ids, one pass fewer).
   */
  public static Dataset<Row> loadWithTaskIds(SparkSession spark, ManifestRequest request,
      ClientSettings settings) {
    return loadWithTaskIds(spark, ManifestSource.of(request), request.where(), settings);
  }

  /**
   * The rows of any source, filtered by {@code where} (null keeps every row) and numbered. A
   * source that numbered its rows keeps its ids when nothing is filtered out. A source that
   * may read differently twice is read once, checkpointed on the executors
   * ({@link #loadWithTaskIds(SparkSession, ManifestSource, String, ClientSettings, String)}).
   */
  public static Dataset<Row> loadWithTaskIds(SparkSession spark, ManifestSource source,
      String where, ClientSettings settings) {
    return loadWithTaskIds(spark, source, where, settings, null);
  }

  /**
   * As {@link #loadWithTaskIds(SparkSession, ManifestSource, String, ClientSettings)}, a source
   * that may read differently twice ({@link ManifestSource#repeatable()}: a listing of a bucket
   * being written to, a table scan) read once into {@code readInto} (Parquet; the caller deletes
   * it once the numbered rows are written) and numbered from there. Numbering reads its input
   * twice, once to count each partition's rows and once to number them, and two reads of a live
   * bucket that differ would give two objects one task id. Without a {@code readInto} (null) the
   * rows are checkpointed on the executors instead, which holds them in their memory and fails
   * when an executor is lost.
   */
  public static Dataset<Row> loadWithTaskIds(SparkSession spark, ManifestSource source,
      String where, ClientSettings settings, String readInto) {
    Dataset<Row> rows = rows(spark, source, settings);
    if (hasTaskIds(rows) && where == null) {
      return rows;
    }
    Dataset<Row> filtered = ManifestFilter.apply(withoutTaskIds(rows), where);
    return TaskIds.assign(source.repeatable() ? filtered : readOnce(spark, filtered, readInto));
  }

  private static Dataset<Row> readOnce(SparkSession spark, Dataset<Row> rows, String into) {
    if (into == null) {
      return rows.localCheckpoint(true);
    }
    rows.write().mode("overwrite").parquet(into);
    return spark.read().parquet(into);
  }

  /**
   * The rows of a manifest generated from a listing ({@code ManifestGenerator}), filtered by
   * {@code where} ({@code ManifestFilter.Where}, null for none) on top of the generator's own
   * filter, numbered by {@link TaskIds}; listed by Spark when the result is used
   * ({@link GeneratedManifest}).
   */
  public static Dataset<Row> loadGeneratedWithTaskIds(SparkSession spark,
      S3JobManifestGenerator generator, String where, ClientSettings settings) {
    return loadWithTaskIds(spark, new GeneratedManifestSource(generator),
        where == null || where.isBlank() ? null : where.trim(), settings);
  }

  private static Dataset<Row> rows(SparkSession spark, ManifestSource source,
      ClientSettings settings) {
    SparkContext context = spark.sparkContext();
    String previousDescription = context.getLocalProperty("spark.job.description");
    context.setJobDescription("Reading " + source.description());
    try {
      return source.rows(spark, settings);
    } finally {
      context.setJobDescription(previousDescription);
    }
  }

  private static boolean hasTaskIds(Dataset<Row> rows) {
    return java.util.Arrays.asList(rows.columns()).contains(ManifestSchema.TASK_ID);
  }

  private static Dataset<Row> withoutTaskIds(Dataset<Row> rows) {
    return hasTaskIds(rows) ? rows.drop(ManifestSchema.TASK_ID) : rows;
  }
}
