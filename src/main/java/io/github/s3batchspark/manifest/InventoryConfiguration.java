package io.github.s3batchspark.manifest;

import io.github.s3batchspark.manifest.InventoryManifest.FileFormat;
import io.github.s3batchspark.manifest.ListingOptions.Versions;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an inventory lists and where it goes, in the words of Amazon's
 * {@code InventoryConfiguration}: the source bucket (and a prefix of it), which versions
 * ({@code IncludedObjectVersions}), the {@code OptionalFields}, the format, and the destination
 * bucket and prefix; {@code id} is the configuration's Id, a folder of the report's layout.
 *
 * @param sourceBucket      the bucket listed (a name)
 * @param prefix            only keys starting with it, or "" for every key
 * @param versions          CURRENT (IncludedObjectVersions Current) or ALL
 * @param optionalFields    the optional fields, in Amazon's order, each once
 * @param format            CSV (gzip), ORC or Parquet
 * @param destinationBucket where the report is written (a name)
 * @param destinationPrefix the key prefix of the report, without a trailing slash, or ""
 * @param id                the configuration's Id
 */
public record InventoryConfiguration(String sourceBucket, String prefix, Versions versions,
    List<InventoryField> optionalFields, FileFormat format, String destinationBucket,
    String destinationPrefix, String id) implements Serializable {

  /** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  /** An Id that is safe as one folder of a key. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public InventoryConfiguration {
    optionalFields = optionalFields.stream().distinct()
        .sorted(Comparator.comparingInt(Enum::ordinal)).toList();
  }

  /**
   * The configuration the command line gives, every value checked before anything is listed.
   *
   * @throws ManifestException naming the option and the value that is wrong, and what to give
   */
  public static InventoryConfiguration of(String sourceBucket, String prefix, String versions,
      String optionalFields, String format, String destinationBucket, String destinationPrefix,
      String id) {
    return new InventoryConfiguration(bucket(sourceBucket, "--bucket"),
        prefix == null ? "" : prefix, versions(versions), fields(optionalFields), format(format),
        bucket(destinationBucket, "--destination-bucket"),
        destinationPrefix == null ? "" : destinationPrefix.replaceAll("^/+|/+$", ""), id(id));
  }

  /** The report's columns: Bucket, Key (and the version columns), then the optional fields. */
  public List<InventoryField> columns() {
    List<InventoryField> fixed = versions == Versions.ALL
        ? InventoryField.ALL_VERSIONS_COLUMNS : InventoryField.CURRENT_VERSION_COLUMNS;
    return java.util.stream.Stream.concat(fixed.stream(), optionalFields.stream()).toList();
  }

  /** Whether a field needs a HEAD of each object. */
  boolean needsHead() {
    return optionalFields.stream().anyMatch(f -> f.source() == InventoryField.Source.HEAD);
  }

  /** Whether the listing must name each object's owner. */
  boolean needsOwner() {
    return optionalFields.contains(InventoryField.OBJECT_OWNER);
  }

  /**
   * manifest.json's fileSchema as S3 Inventory writes it: CSV's {@code Bucket, Key, ...}, ORC's
   * {@code struct<bucket:string,...>}, Parquet's {@code message s3.inventory { ... }}.
   */
  public String fileSchema() {
    List<InventoryField> columns = columns();
    return switch (format) {
      case CSV -> columns.stream().map(InventoryField::csvName)
          .collect(Collectors.joining(", "));
      case ORC -> columns.stream().map(f -> f.columnarName() + ":" + orcType(f.type()))
          .collect(Collectors.joining(",", "struct<", ">"));
      case PARQUET -> columns.stream().map(f -> (f == InventoryField.BUCKET
              || f == InventoryField.KEY ? "required " : "optional ") + parquetType(f) + ";")
          .collect(Collectors.joining(" ", "message s3.inventory { ", "}"));
    };
  }

  /** manifest.json's fileFormat. */
  public String fileFormatName() {
    return format == FileFormat.PARQUET ? "Parquet" : format.name();
  }

  /** The data files' name ending. */
  String extension() {
    return switch (format) {
      case CSV -> ".csv.gz";
      case ORC -> ".orc";
      case PARQUET -> ".parquet";
    };
  }

  /** {@code destination-prefix/source-bucket/config-ID/}, where everything is written. */
  String base() {
    return (destinationPrefix.isEmpty() ? "" : destinationPrefix + "/") + sourceBucket + "/"
        + id + "/";
  }

  private static String orcType(InventoryField.Type type) {
    return switch (type) {
      case STRING -> "string";
      case LONG -> "bigint";
      case BOOLEAN -> "boolean";
      case TIMESTAMP -> "timestamp";
    };
  }

  private static String parquetType(InventoryField field) {
    String name = field.columnarName();
    return switch (field.type()) {
      case STRING -> "binary " + name + " (UTF8)";
      case LONG -> "int64 " + name;
      case BOOLEAN -> "boolean " + name;
      case TIMESTAMP -> "int64 " + name + " (TIMESTAMP_MILLIS)";
    };
  }

  private static String bucket(String value, String option) {
    if (value == null || value.isBlank()) {
      throw new ManifestException(option + " is required: give a bucket's name or ARN");
    }
    String name = value.trim().startsWith("arn:") ? value.substring(value.lastIndexOf(':') + 1)
        : value.trim();
    if (!BUCKET.matcher(name).matches()) {
      throw new ManifestException(option + " '" + value + "' is not a bucket name: give a name"
          + " such as my-bucket or an ARN such as arn:aws:s3:::my-bucket");
    }
    return name;
  }

  private static Versions versions(String value) {
    if (value == null || value.equalsIgnoreCase("Current")) {
      return Versions.CURRENT;
    }
    if (value.equalsIgnoreCase("All")) {
      return Versions.ALL;
    }
    throw new ManifestException("--included-object-versions '" + value + "' is not Current or"
        + " All");
  }

  private static List<InventoryField> fields(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).filter(f -> !f.isBlank())
        .map(f -> InventoryField.optionalField(f, "--optional-fields")).toList();
  }

  private static FileFormat format(String value) {
    String wanted = value == null ? "CSV" : value.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(FileFormat.values()).filter(f -> f.name().equals(wanted)).findFirst()
        .orElseThrow(() -> new ManifestException("--format '" + value + "' is not an S3"
            + " Inventory format: use CSV, ORC or Parquet"));
  }

  private static String id(String value) {
    String id = value == null ? "s3batch-inventory" : value;
    if (!ID.matcher(id).matches()) {
      throw new ManifestException("--id '" + value + "' is not a configuration Id: use 1 to 64"
          + " letters, digits, '.', '_' or '-'");
    }
    return id;
  }
}
