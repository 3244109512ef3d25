package io.github.s3batchspark.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.manifest.ManifestLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes a real S3 Inventory report into a bucket, the way S3 Inventory lays it out: data files
 * (gzip CSV with URL-encoded keys, ZLIB ORC, or Snappy Parquet written by Spark itself) plus a
 * {@code manifest.json} that lists them with their true MD5s. Everything is generated; no binary
 * file is committed.
 */
public final class InventoryFixture {
  /** The data file formats of a report. */
  public enum Format { CSV, ORC, PARQUET }

  /** One inventory row; version fields are used when the report lists all versions. */
  public record Entry(String bucket, String key, String versionId, boolean isLatest,
      boolean isDeleteMarker, Long size, Instant lastModified, String etag,
      String storageClass) {

    public static Entry current(String bucket, String key, long size, String etag,
        String storageClass) {
      return new Entry(bucket, key, null, true, false, size,
          Instant.parse("2024-01-02T03:04:05Z"), etag, storageClass);
    }

    public static Entry version(String bucket, String key, String versionId, boolean isLatest,
        long size, String etag) {
      return new Entry(bucket, key, versionId, isLatest, false, size,
          Instant.parse("2024-01-02T03:04:05Z"), etag, "STANDARD");
    }

    public static Entry deleteMarker(String bucket, String key, String versionId) {
      return new Entry(bucket, key, versionId, true, true, null,
          Instant.parse("2024-01-03T00:00:00Z"), null, null);
    }
  }

  /** A written report: where its manifest.json is, and the keys of its data files. */
  public record Report(ManifestLocation manifest, List<String> dataFileKeys) {}

  private static final String CSV_CURRENT = "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass";
  private static final String CSV_ALL_VERSIONS = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker,"
      + " Size, LastModifiedDate, ETag, StorageClass";

  /** S3 Inventory's CSV timestamps: milliseconds, always three digits, UTC. */
  private static final DateTimeFormatter LAST_MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private InventoryFixture() {}

  /**
   * Writes {@code entries} as a report in {@code destination}, split over {@code files} data
   * files; {@code allVersions} adds the VersionId, IsLatest and IsDeleteMarker columns.
   */
  public static Report write(S3Client s3, SparkSession spark, String destination, Format format,
      boolean allVersions, List<Entry> entries, int files) {
    List<byte[]> data = new ArrayList<>();
    for (List<Entry> chunk : chunks(entries, files)) {
      data.add(switch (format) {
        case CSV -> gzipCsv(chunk, allVersions);
        case ORC, PARQUET -> dataFile(spark, format, sparkSchema(allVersions),
            chunk.stream().map(e -> sparkRow(e, allVersions)).toList());
      });
    }
    String fileSchema = format == Format.CSV ? (allVersions ? CSV_ALL_VERSIONS : CSV_CURRENT)
        : fileSchema(format, sparkSchema(allVersions));
    return writeReport(s3, destination, entries.get(0).bucket(), format, fileSchema, data);
  }

  /**
   * Writes {@code files} as the data files of a report of {@code format} in {@code destination},
   * and its manifest.json listing them with their true MD5s and the given {@code fileSchema}.
   */
  public static Report writeReport(S3Client s3, String destination, String sourceBucket,
      Format format, String fileSchema, List<byte[]> files) {
    String prefix = "inventory/" + sourceBucket + "/config-1/";
    List<Map<String, Object>> listed = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (byte[] bytes : files) {
      String key = prefix + "data/" + UUID.randomUUID() + extension(format);
      s3.putObject(b -> b.bucket(destination).key(key), RequestBody.fromBytes(bytes));
      keys.add(key);
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("key", key);
      file.put("size", bytes.length);
      file.put("MD5checksum", md5(bytes));
      listed.add(file);
    }
    String manifestKey = prefix + "2024-01-02T03-04Z/manifest.json";
    String etag = Buckets.put(s3, destination, manifestKey,
        manifestJson(sourceBucket, destination, format, fileSchema, listed));
    return new Report(new ManifestLocation(destination, manifestKey, null, etag), keys);
  }

  /**
   * The fileSchema S3 Inventory writes in manifest.json for ORC ({@code struct<name:type,...>})
   * or Parquet ({@code message s3.inventory { required binary bucket (UTF8); ... }}) data files
   * of {@code schema} (strings, booleans, longs and timestamps).
   */
  public static String fileSchema(Format format, StructType schema) {
    if (format == Format.ORC) {
      return schema.simpleString();
    }
    return Arrays.stream(schema.fields()).map(f -> (f.nullable() ? "optional " : "required ")
        + (f.dataType().equals(DataTypes.StringType) ? "binary " + f.name() + " (UTF8)"
        : f.dataType().equals(DataTypes.BooleanType) ? "boolean " + f.name()
        : f.dataType().equals(DataTypes.LongType) ? "int64 " + f.name()
        : "int64 " + f.name() + " (TIMESTAMP_MILLIS)") + ";")
        .collect(Collectors.joining(" ", "message s3.inventory { ", "}"));
  }

  /** A gzip file of {@code text}, as S3 Inventory compresses its CSV data files. */
  public static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String manifestJson(String source, String destination, Format format,
      String fileSchema, List<Map<String, Object>> files) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sourceBucket", source);
    json.put("destinationBucket", "arn:aws:s3:::" + destination);
    json.put("version", "2016-11-30");
    json.put("creationTimestamp", "1704164640000");
    json.put("fileFormat", switch (format) {
      case CSV -> "CSV";
      case ORC -> "ORC";
      case PARQUET -> "Parquet";
    });
    json.put("fileSchema", fileSchema);
    json.put("files", files);
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzipCsv(List<Entry> entries, boolean allVersions) {
    return gzip(entries.stream().map(e -> csvLine(e, allVersions))
        .collect(Collectors.joining("\n", "", "\n")));
  }

  // every value quoted, the key form-encoded (a space is '+'), as S3 Inventory writes CSV
  private static String csvLine(Entry e, boolean allVersions) {
    List<String> values = new ArrayList<>(List.of(e.bucket(),
        URLEncoder.encode(e.key(), StandardCharsets.UTF_8)));
    if (allVersions) {
      values.addAll(List.of(e.versionId() == null ? "" : e.versionId(),
          String.valueOf(e.isLatest()), String.valueOf(e.isDeleteMarker())));
    }
    values.addAll(List.of(e.size() == null ? "" : e.size().toString(),
        LAST_MODIFIED.format(e.lastModified()),
        e.etag() == null ? "" : e.etag(), e.storageClass() == null ? "" : e.storageClass()));
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(","));
  }

  private static StructType sparkSchema(boolean allVersions) {
    StructType schema = new StructType()
        .add("bucket", DataTypes.StringType, false)
        .add("key", DataTypes.StringType, false);
    if (allVersions) {
      schema = schema.add("version_id", DataTypes.StringType)
          .add("is_latest", DataTypes.BooleanType)
          .add("is_delete_marker", DataTypes.BooleanType);
    }
    return schema.add("size", DataTypes.LongType)
        .add("last_modified_date", DataTypes.TimestampType)
        .add("e_tag", DataTypes.StringType)
        .add("storage_class", DataTypes.StringType);
  }

  private static Row sparkRow(Entry e, boolean allVersions) {
    List<Object> values = new ArrayList<>(List.of(e.bucket(), e.key()));
    if (allVersions) {
      values.add(e.versionId());
      values.add(e.isLatest());
      values.add(e.isDeleteMarker());
    }
    values.add(e.size());
    values.add(Timestamp.from(e.lastModified()));
    values.add(e.etag());
    values.add(e.storageClass());
    return RowFactory.create(values.toArray());
  }

  /**
   * One ORC (ZLIB) or Parquet (Snappy) data file of {@code rows}, written by Spark as S3
   * Inventory writes them: Parquet timestamps as TIMESTAMP_MILLIS, not Spark's INT96.
   */
  public static byte[] dataFile(SparkSession spark, Format format, StructType schema,
      List<Row> rows) {
    String name = format == Format.ORC ? "orc" : "parquet";
    String timestampKey = "spark.sql.parquet.outputTimestampType";
    String previous = spark.conf().get(timestampKey);
    spark.conf().set(timestampKey, "TIMESTAMP_MILLIS");
    try {
      Path dir = Files.createTempDirectory("inventory-" + name);
      Path out = dir.resolve("out");
      spark.createDataFrame(rows, schema).coalesce(1).write()
          .option("compression", format == Format.ORC ? "zlib" : "snappy")
          .format(name).save(out.toString());
      try (Stream<Path> written = Files.list(out)) {
        Path part = written.filter(p -> p.getFileName().toString().startsWith("part-"))
            .findFirst().orElseThrow();
        return Files.readAllBytes(part);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      spark.conf().set(timestampKey, previous);
    }
  }

  private static List<List<Entry>> chunks(List<Entry> entries, int files) {
    List<List<Entry>> chunks = new ArrayList<>();
    int size = (entries.size() + files - 1) / files;
    for (int i = 0; i < entries.size(); i += size) {
      chunks.add(entries.subList(i, Math.min(entries.size(), i + size)));
    }
    return chunks;
  }

  private static String extension(Format format) {
    return switch (format) {
      case CSV -> ".csv.gz";
      case ORC -> ".orc";
      case PARQUET -> ".parquet";
    };
  }

  public static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
