package io.github.s3batchspark.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code manifest.json} of an S3 Inventory report: where its data files are, their
 * checksums, and the format and schema they were written in.
 *
 * @param sourceBucket      the bucket the inventory lists
 * @param destinationBucket the bucket holding the data files (a plain name; the ARN is unwrapped)
 * @param fileFormat        how the data files are written
 * @param fileSchema        the column names of the data files, in order, as the manifest gives
 *                          them ({@code Bucket, Key, VersionId, ...}); CSV files are read with
 *                          them. ORC and Parquet files carry their own schema: their names are
 *                          read from the manifest's {@code struct<...>} or {@code message {...}}
 *                          text for checking a filter early, and are empty when it is neither
 * @param files             the data files
 */
public record InventoryManifest(String sourceBucket, String destinationBucket,
    FileFormat fileFormat, List<String> fileSchema, List<DataFile> files)
    implements Serializable {

  private static final Pattern PARQUET_FIELD =
      Pattern.compile("(?:required|optional|repeated)\\s+\\w+\\s+(\\w+)");

  /** The data file formats S3 Inventory writes. */
  public enum FileFormat { CSV, ORC, PARQUET }

  /**
   * One data file of the report.
   *
   * @param key         its key in the destination bucket
   * @param size        its size in bytes as the manifest states it
   * @param md5checksum the hex MD5 of its bytes ({@code MD5checksum})
   */
  public record DataFile(String key, long size, String md5checksum) implements Serializable {}

  /** Parses manifest.json; {@code uri} names it in every complaint. */
  static InventoryManifest parse(InputStream json, String uri) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new ManifestException("Inventory manifest " + uri + " is not valid JSON ("
          + e.getMessage() + "); Manifest.Location must name the report's manifest.json",
          e);
    }
    if (root == null || !root.isObject()) {
      throw new ManifestException("Inventory manifest " + uri + " is not a JSON object;"
          + " Manifest.Location must name the report's manifest.json");
    }
    FileFormat format = fileFormat(text(root, "fileFormat", uri), uri);
    List<String> schema = columnNames(format, text(root, "fileSchema", uri));
    return new InventoryManifest(text(root, "sourceBucket", uri),
        bucketName(text(root, "destinationBucket", uri)), format, schema, files(root, uri));
  }

  /**
   * CSV: {@code Bucket, Key, Size}. ORC: {@code struct<bucket:string,key:string,size:bigint>}.
   * Parquet: {@code message s3.inventory { required binary bucket (STRING); ... }}.
   */
  private static List<String> columnNames(FileFormat format, String schema) {
    String text = schema.trim();
    if (format == FileFormat.CSV) {
      return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .toList();
    }
    if (text.startsWith("struct<") && text.endsWith(">")) {
      return Arrays.stream(text.substring(7, text.length() - 1).split(","))
          .map(field -> field.split(":", 2)[0].trim()).filter(s -> !s.isEmpty()).toList();
    }
    List<String> names = new ArrayList<>();
    Matcher field = PARQUET_FIELD.matcher(text);
    while (text.startsWith("message") && field.find()) {
      names.add(field.group(1));
    }
    return names;
  }

  private static List<DataFile> files(JsonNode root, String uri) {
    JsonNode files = root.get("files");
    if (files == null || !files.isArray() || files.isEmpty()) {
      throw new ManifestException("Inventory manifest " + uri + " lists no data files ('files')");
    }
    List<DataFile> result = new ArrayList<>();
    for (JsonNode file : files) {
      String key = text(file, "key", uri);
      String md5 = text(file, "MD5checksum", uri);
      JsonNode size = file.get("size");
      result.add(new DataFile(key, size == null ? -1 : size.asLong(-1), md5));
    }
    return result;
  }

  private static FileFormat fileFormat(String value, String uri) {
    try {
      return FileFormat.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ManifestException("Inventory manifest " + uri + " has fileFormat '" + value
          + "'; S3 Inventory writes CSV, ORC or Parquet");
    }
  }

  private static String text(JsonNode node, String field, String uri) {
    JsonNode value = node.get(field);
    if (value == null || !value.isValueNode() || value.asText().isEmpty()) {
      throw new ManifestException("Inventory manifest " + uri + " has no '" + field
          + "'; is Manifest.Location the report's manifest.json?");
    }
    return value.asText();
  }

  /** {@code arn:aws:s3:::bucket} -> {@code bucket}; a plain name stays as it is. */
  private static String bucketName(String destination) {
    int colons = destination.lastIndexOf(":::");
    return destination.startsWith("arn:") && colons >= 0
        ? destination.substring(colons + 3) : destination;
  }
}
