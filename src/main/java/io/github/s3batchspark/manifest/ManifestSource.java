package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a job's objects come from: a CSV manifest, an S3 Inventory report, and later a generated
 * listing or a previous job's report. Each source reads its input into the canonical manifest
 * schema ({@link ManifestSchema}); {@link ManifestLoader} filters and numbers what it reads, so a
 * new source is one new class.
 *
 * <p>A source checks everything that could make its rows untrustworthy before it answers (ETag,
 * broken lines, checksums) and refuses with a {@link ManifestException} naming the input and
 * what to fix. It never holds its rows on the driver: the executors read them when Spark uses
 * the answer.
 */
public interface ManifestSource {

  /** The source of a manifest the job spec names ({@code Manifest}). */
  static ManifestSource of(ManifestRequest request) {
    return switch (request.format()) {
      case S3_BATCH_OPERATIONS_CSV -> new CsvManifestSource(request);
      case S3_INVENTORY_REPORT -> new InventoryManifestSource(request.location());
    };
  }

  /** What the Spark UI and the logs call this source, for example the manifest's URI. */
  String description();

  /**
   * The rows, in the canonical schema, with or without a {@code task_id} column: a source that
   * numbers its rows as it checks them (in the order of its input) saves the pass that
   * {@link TaskIds} would make.
   *
   * @param settings what the driver's and the executors' S3 clients are built from
   * @throws ManifestException when the input cannot be trusted or read
   */
  Dataset<Row> rows(SparkSession spark, ClientSettings settings);

  /**
   * Whether computing {@link #rows} again gives the same rows in the same order: true of files
   * (their ETags and checksums are checked), not of a listing of a bucket or a scan of a table,
   * which see what was written in between.
   */
  default boolean repeatable() {
    return true;
  }
}
