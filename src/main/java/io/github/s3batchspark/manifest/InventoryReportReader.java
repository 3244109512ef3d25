package io.github.s3batchspark.manifest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.S3aOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads an {@code S3InventoryReport_CSV_20161130} manifest: the report's manifest.json (through
 * the SDK, pinned to the spec's version and ETag), the MD5 of every data file, then the data files
 * themselves, which Spark reads in parallel through s3a (a report can list billions of objects).
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
  private final SparkSession spark;
  private final ClientSettings settings;
  private final String uri;

  private InventoryReportReader(SparkSession spark, ClientSettings settings, String uri) {
    this.spark = spark;
    this.settings = settings;
    this.uri = uri;
  }

  static Dataset<Row> read(SparkSession spark, S3Client s3, ClientSettings settings,
      ManifestLocation location) {
    InventoryManifest inventory = readManifestJson(s3, location);
    InventoryChecksums.verify(spark, settings, location.uri(), inventory);
    return new InventoryReportReader(spark, settings, location.uri()).dataFiles(inventory);
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

  private Dataset<Row> dataFiles(InventoryManifest inventory) {
    String[] paths = inventory.files().stream()
        .map(f -> "s3a://" + inventory.destinationBucket() + "/" + f.key())
        .toArray(String[]::new);
    S3aOptions.configure(spark.sparkContext().hadoopConfiguration(), settings,
        inventory.destinationBucket());
    DataFrameReader reader = spark.read();
    try {
      Dataset<Row> raw = switch (inventory.fileFormat()) {
        case CSV -> decodedCsv(reader, inventory.fileSchema(), paths);
        case ORC -> canonicalNames(reader.orc(paths));
        case PARQUET -> canonicalNames(reader.parquet(paths));
      };
      return canonical(raw);
    } catch (ManifestException e) {
      throw e;
    } catch (Exception e) {
      // the SDK has just read every file (checksums), so this is s3a's view of the store
      throw new ManifestException("Inventory report " + uri + ": Spark cannot read its "
          + inventory.fileFormat() + " data files in bucket '" + inventory.destinationBucket()
          + "' through s3a (" + e.getMessage() + "); check the s3a settings of the cluster", e);
    }
  }

  /** Header-less, gzip, every value a quoted string, keys URL-encoded; columns from fileSchema. */
  private Dataset<Row> decodedCsv(DataFrameReader reader, List<String> fileSchema,
      String[] paths) {
    StructType schema = new StructType();
    for (String column : fileSchema) {
      schema = schema.add(ManifestSchema.canonicalName(column), DataTypes.StringType, true);
    }
    Dataset<Row> text = reader.schema(schema)
        .option("header", "false")
        .option("mode", "FAILFAST")
        .csv(paths);
    requireObjectColumns(text);
    for (Map.Entry<String, DataType> typed : ManifestSchema.INVENTORY_TYPES.entrySet()) {
      if (Arrays.asList(text.columns()).contains(typed.getKey())) {
        text = text.withColumn(typed.getKey(), col(typed.getKey()).cast(typed.getValue()));
      }
    }
    return text.withColumn(ManifestSchema.KEY,
        decodeKey().apply(col(ManifestSchema.KEY), input_file_name()));
  }

  private static UserDefinedFunction decodeKey() {
    return udf((UDF2<String, String, String>) (encoded, file) -> {
      try {
        return encoded == null ? null : ManifestKeyDecoder.decode(encoded);
      } catch (IllegalArgumentException e) {
        throw new ManifestException("Inventory data file " + file + " has key '" + encoded
            + "' that is not URL-encoded correctly: " + e.getMessage());
      }
    }, DataTypes.StringType);
  }

  private Dataset<Row> canonicalNames(Dataset<Row> source) {
    String[] names = Arrays.stream(source.columns()).map(ManifestSchema::canonicalName)
        .toArray(String[]::new);
    Dataset<Row> renamed = source.toDF(names);
    requireObjectColumns(renamed);
    return renamed;
  }

  private void requireObjectColumns(Dataset<Row> rows) {
    List<String> columns = Arrays.asList(rows.columns());
    if (!columns.contains(ManifestSchema.BUCKET) || !columns.contains(ManifestSchema.KEY)) {
      throw new ManifestException("Inventory report " + uri + " has columns " + columns
          + " without bucket and key: it is not an S3 Inventory report");
    }
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
}
