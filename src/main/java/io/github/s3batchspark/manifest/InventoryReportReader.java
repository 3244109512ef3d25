package io.github.s3batchspark.manifest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.TaskCompletionListener;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads an {@code S3InventoryReport_CSV_20161130} manifest: the report's manifest.json (through
 * the SDK, pinned to the spec's version and ETag), the MD5 of every data file, then the rows of
 * the data files (a report can list billions of objects, so the executors read them, one Spark
 * partition per file).
 *
 * <p><b>Read once as checked.</b> The check records the ETag and version of the bytes it hashed
 * ({@link CheckedDataFile}); the executors read the rows from those bytes only, every GET pinned
 * to them. A file replaced after its check is refused, naming it; it is never read unchecked.
 * CSV files are streamed and parsed line by line; ORC and Parquet files, which are read from
 * their footer, are first copied to the executor's local disk ({@link LocalCopy}). Spark's own
 * readers (through s3a) are not used: s3a cannot pin a read to a version or ETag chosen before.
 * Every column is named and typed the same way whatever the format ({@link InventoryColumns}),
 * and whatever in a file does not match its manifest.json is refused on one line naming the
 * file: a gzip stream cut short, a line with too few values, a Size that is not a number, ORC or
 * Parquet columns that differ from fileSchema.
 *
 * <p>Versions, as Amazon documents them for Batch Operations:
 * <ul>
 *   <li>"If the inventory report includes version IDs, S3 Batch Operations operates on the
 *       specific object versions" (User Guide, "Creating an S3 Batch Operations job", Specifying
 *       a manifest). So rows with {@code IsLatest = false} are kept, each addressed by its own
 *       version id: a job on an all-versions report acts on every listed version.</li>
 *   <li>"S3 Inventory reports that include all versions mark any null-versioned objects with
 *       empty strings in the version ID field ... Batch Operations recognizes {@code null}
 *       strings as version IDs, but not empty strings" (User Guide, "Converting empty version ID
 *       strings in Amazon S3 Inventory reports to null strings"). Amazon fails those tasks and
 *       tells users to rewrite the report; we apply the documented conversion instead, so an
 *       empty version id becomes the version id {@code null}.</li>
 *   <li>Delete markers (an all-versions report lists them, {@code IsDeleteMarker = true}) are
 *       not objects: no operation applies to them, so their rows are skipped.</li>
 * </ul>
 */
final class InventoryReportReader {
  private InventoryReportReader() {}

  static Dataset<Row> read(SparkSession spark, S3Client s3, ClientSettings settings,
      ManifestLocation location) {
    InventoryManifest inventory = readManifestJson(s3, location);
    InventoryColumns columns = inventory.columns(location.uri());
    List<CheckedDataFile> files = InventoryChecksums.verify(spark, settings, location.uri(),
        inventory);
    return canonical(rows(spark, settings, inventory.fileFormat(), columns, files));
  }

  static InventoryManifest readManifestJson(S3Client s3, ManifestLocation location) {
    ManifestObject manifest = ManifestObject.verify(s3, location);
    try (InputStream json = manifest.open(s3)) {
      return InventoryManifest.parse(json, location.uri());
    } catch (IOException e) {
      throw new UncheckedIOException("Reading inventory manifest " + location.uri() + " failed",
          e);
    }
  }

  /** The data files' rows in fileSchema's columns, read by Spark when the result is used. */
  private static Dataset<Row> rows(SparkSession spark, ClientSettings settings,
      InventoryManifest.FileFormat format, InventoryColumns columns, List<CheckedDataFile> files) {
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(files, Math.max(1, files.size())) // none listed: one empty partition
        .mapPartitions(part -> new DataFileRows(settings, format, columns, part));
    return spark.createDataFrame(rows, columns.schema());
  }

  /**
   * An empty VersionId is the object's null version. When it is the latest, the task addresses
   * the current object (no version), which is the same object on S3 and works on stores that
   * know no "null" version; a noncurrent null version can only be named as "null".
   */
  private static Column versionId(boolean hasIsLatest) {
    Column empty = col(ManifestSchema.VERSION_ID).isNull()
        .or(col(ManifestSchema.VERSION_ID).equalTo(""));
    Column latest = hasIsLatest
        ? col(ManifestSchema.IS_LATEST).isNull().or(col(ManifestSchema.IS_LATEST).equalTo(true))
        : lit(true);
    return when(empty.and(latest), lit(null).cast(DataTypes.StringType))
        .when(empty, lit("null"))
        .otherwise(col(ManifestSchema.VERSION_ID));
  }

  /** bucket, key, version_id, etag first, then the other inventory columns; no delete markers. */
  private static Dataset<Row> canonical(Dataset<Row> rows) {
    List<String> columns = Arrays.asList(rows.columns());
    if (columns.contains(ManifestSchema.IS_DELETE_MARKER)) {
      Column marker = col(ManifestSchema.IS_DELETE_MARKER);
      rows = rows.where(marker.isNull().or(marker.equalTo(false)));
    }
    List<Column> select = new ArrayList<>();
    select.add(col(ManifestSchema.BUCKET));
    select.add(col(ManifestSchema.KEY));
    select.add(columns.contains(ManifestSchema.VERSION_ID)
        ? versionId(columns.contains(ManifestSchema.IS_LATEST)).as(ManifestSchema.VERSION_ID)
        : lit(null).cast(DataTypes.StringType).as(ManifestSchema.VERSION_ID));
    select.add(columns.contains(ManifestSchema.ETAG)
        ? regexp_replace(col(ManifestSchema.ETAG), "\"", "").as(ManifestSchema.ETAG)
        : lit(null).cast(DataTypes.StringType).as(ManifestSchema.ETAG));
    for (String column : columns) {
      if (!List.of(ManifestSchema.BUCKET, ManifestSchema.KEY, ManifestSchema.VERSION_ID,
          ManifestSchema.ETAG).contains(column)) {
        select.add(col(column));
      }
    }
    return rows.select(select.toArray(Column[]::new));
  }

  /**
   * The rows of one partition's data files, each opened as Spark pulls its first row and closed
   * at its end, or with the Spark task that stops reading early.
   */
  private static final class DataFileRows extends LookAhead<Row> {
    private final ClientSettings settings;
    private final InventoryManifest.FileFormat format;
    private final InventoryColumns columns;
    private final Iterator<CheckedDataFile> files;
    private S3Client s3;
    private InventoryFileRows rows;

    DataFileRows(ClientSettings settings, InventoryManifest.FileFormat format,
        InventoryColumns columns, Iterator<CheckedDataFile> files) {
      this.settings = settings;
      this.format = format;
      this.columns = columns;
      this.files = files;
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskCompletionListener) context -> close());
      }
    }

    @Override
    protected Row computeNext() {
      while (rows == null || !rows.hasNext()) {
        closeFile();
        if (!files.hasNext()) {
          close();
          return null;
        }
        rows = open(files.next());
      }
      return rows.next();
    }

    private InventoryFileRows open(CheckedDataFile file) {
      if (s3 == null) {
        s3 = ExecutorClients.syncClient(settings);
      }
      InputStream in = file.open(s3);
      if (format == InventoryManifest.FileFormat.CSV) {
        return closingOnRefusal(in, () -> new InventoryCsvRows(file, columns, in));
      }
      LocalCopy copy = LocalCopy.of(file, in);
      return closingOnRefusal(copy, () -> format == InventoryManifest.FileFormat.ORC
          ? new InventoryOrcRows(file, columns, copy)
          : new InventoryParquetRows(file, columns, copy));
    }

    private static InventoryFileRows closingOnRefusal(Closeable source,
        Supplier<InventoryFileRows> rows) {
      try {
        return rows.get();
      } catch (RuntimeException e) {
        try {
          source.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }

    private void close() {
      try {
        closeFile();
      } finally {
        if (s3 != null) {
          s3.close();
          s3 = null;
        }
      }
    }

    private void closeFile() {
      try {
        if (rows != null) {
          rows.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Closing an inventory data file", e);
      } finally {
        rows = null;
      }
    }
  }
}
