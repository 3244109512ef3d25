/**
 * The manifest stage: turns a job's manifest (an S3 Batch Operations CSV, an S3 Inventory
 * report with CSV, ORC or Parquet data files, or a listing of a bucket that a
 * {@code ManifestGenerator} filters: {@link io.github.s3batchspark.manifest.GeneratedManifest},
 * written back as an inventory report by
 * {@link io.github.s3batchspark.manifest.GeneratedManifestWriter}) into a Spark DataFrame in the
 * canonical manifest
 * schema ({@link io.github.s3batchspark.manifest.ManifestSchema}), applies the job's SQL filter
 * and numbers the rows with stable task ids.
 *
 * <p>Everything here is decided before any object is touched: a manifest that cannot be trusted
 * (wrong ETag, broken line, bad checksum, bad filter) is refused with a
 * {@link io.github.s3batchspark.manifest.ManifestException} that names the manifest and the
 * problem. The driver decides and the executors read, every input read once as checked: a CSV
 * manifest in byte splits of its pinned version ({@link
 * io.github.s3batchspark.manifest.CsvManifestSplit}), an inventory's data files one per Spark
 * partition, each pinned to the ETag and version whose MD5 was verified ({@link
 * io.github.s3batchspark.manifest.CheckedDataFile}), so the driver's memory does not grow with
 * the number of tasks. A listing is split into key ranges on the driver with a few rounds of
 * requests, each round's all in flight ({@link io.github.s3batchspark.manifest.KeySpaceSplitter}:
 * delimiter fan-out, and {@link io.github.s3batchspark.manifest.KeySampler}'s {@code StartAfter}
 * ranges for flat prefixes), and each executor partition lists many ranges at once, streaming
 * their pages ({@link io.github.s3batchspark.manifest.RangeObjects}), so the driver never holds a
 * bucket's keys either. A DynamoDB table is read by a parallel Scan, one segment per Spark
 * partition ({@link io.github.s3batchspark.manifest.DynamoDbManifestSource}). Each input is a
 * {@link io.github.s3batchspark.manifest.ManifestSource} (CSV, inventory, listing, DynamoDB
 * table); the entry
 * point, which filters and numbers any source, is
 * {@link io.github.s3batchspark.manifest.ManifestLoader}.
 *
 * <p>The same listing also feeds the other way out: {@link
 * io.github.s3batchspark.manifest.InventoryGenerator} writes an S3 Inventory report of a bucket
 * (CSV, ORC or Parquet data files written by the executors, manifest.json, manifest.checksum and
 * a Hive symlink.txt in Amazon's layout, columns as {@link
 * io.github.s3batchspark.manifest.InventoryField} names them), which the inventory reader above
 * reads back as any report.
 *
 * <p>A job spec is data, never code: {@code ManifestFilter.Where} is a checked subset of Spark SQL
 * ({@link io.github.s3batchspark.manifest.FilterLanguage}: columns, literals, operators and an
 * allow-list of deterministic functions), checked by
 * {@link io.github.s3batchspark.manifest.ManifestFilter#check} without a SparkSession against
 * the columns {@link io.github.s3batchspark.manifest.ManifestColumns} knows before the manifest
 * is read, so that the job package refuses a bad filter at create-job.
 */
package io.github.s3batchspark.manifest;
