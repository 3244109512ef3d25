package io.github.s3batchspark.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code manifest.json} of an S3 Inventory report: where its data files are, their
 * checksums, and the format and schema they were written in.
 *
 * @param sourceBucket      the bucket the inventory lists
 * @param destinationBucket the bucket holding the data files (a plain name; the ARN is unwrapped)
 * @param fileFormat        how the data files are written
 * @param fileSchema        the column names of the data files as the manifest gives them: for CSV
 *                          in order ({@code Bucket, Key, VersionId, ...}), for ORC and Parquet
 *                          the fields of {@code struct<bucket:string,...>} or of
 *                          {@code message s3.inventory { required binary bucket (UTF8); ... }},
 *                          which every data file must have
 * @param files             the data files
 */
public record InventoryManifest(String sourceBucket, String destinationBucket,
    FileFormat fileFormat, List<String> fileSchema, List<DataFile> files)
    implements Serializable {

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

  /**
   * A manifest.json as S3 Inventory writes it, for reports this project writes itself (a
   * generated manifest, a generated inventory): the data files are listed with their size and
   * MD5, the destination bucket as an ARN.
   *
   * @param version    the report's format version ({@code 2016-11-30}, or {@code 2021-11-30} for
   *                   a generated manifest)
   * @param fileSchema as S3 writes it for the format: CSV's column names joined by
   *                   {@code ", "}, ORC's {@code struct<...>}, Parquet's {@code message ...}
   */
  static byte[] json(String sourceBucket, String destinationBucket, String version,
      long creationMillis, String fileFormat, String fileSchema, List<DataFile> files) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode json = mapper.createObjectNode();
    json.put("sourceBucket", sourceBucket);
    json.put("destinationBucket", "arn:aws:s3:::" + destinationBucket);
    json.put("version", version);
    json.put("creationTimestamp", String.valueOf(creationMillis));
    json.put("fileFormat", fileFormat);
    json.put("fileSchema", fileSchema);
    ArrayNode list = json.putArray("files");
    for (DataFile file : files) {
      list.addObject().put("key", file.key()).put("size", file.size())
          .put("MD5checksum", file.md5checksum());
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
    return new InventoryManifest(text(root, "sourceBucket", uri),
        bucketName(text(root, "destinationBucket", uri)), format,
        columnNames(format, text(root, "fileSchema", uri), uri), files(root, uri));
  }

  /** The columns every data file has, named as the report names them. */
  InventoryColumns columns(String uri) {
    return InventoryColumns.of(fileSchema, uri);
  }

  /**
   * The names in a fileSchema: a CSV list, ORC's {@code struct<name:type,...>} or Parquet's
   * {@code message name { required binary name (UTF8); ... }}. Inventory columns are flat, so
   * the names are read without a type parser.
   */
  private static List<String> columnNames(FileFormat format, String schema, String uri) {
    String fields = schema.trim();
    String separator = ",";
    if (format == FileFormat.ORC && fields.startsWith("struct<") && fields.endsWith(">")) {
      fields = fields.substring("struct<".length(), fields.length() - 1);
    } else if (format == FileFormat.PARQUET && fields.startsWith("message")
        && fields.contains("{") && fields.endsWith("}")) {
      fields = fields.substring(fields.indexOf('{') + 1, fields.length() - 1);
      separator = ";";
    } else if (format != FileFormat.CSV) {
      throw new ManifestException("Inventory manifest " + uri + " has fileSchema '" + schema
          + "', which is not an S3 Inventory " + format + " schema (" + (format == FileFormat.ORC
          ? "struct<bucket:string,key:string,...>" : "message s3.inventory { ... }") + ")");
    }
    return Arrays.stream(fields.split(separator)).map(String::trim).filter(f -> !f.isEmpty())
        .map(f -> fieldName(format, f)).toList();
  }

  // "bucket:string" -> bucket; "optional binary e_tag (UTF8)" -> e_tag; "Bucket" -> Bucket
  private static String fieldName(FileFormat format, String field) {
    return switch (format) {
      case CSV -> field;
      case ORC -> field.split(":", 2)[0].replace("`", "").trim();
      case PARQUET -> {
        String declaration = field.replaceAll("\\(.*\\)", "").replaceAll("=.*", "").trim();
        yield declaration.substring(declaration.lastIndexOf(' ') + 1);
      }
    };
  }

  private static List<DataFile> files(JsonNode root, String uri) {
    JsonNode files = root.get("files");
    if (files == null || !files.isArray()) {
      throw new ManifestException("Inventory manifest " + uri + " has no 'files' list of data"
          + " files: is it an S3 Inventory manifest.json?");
    }
    // S3 Inventory of an empty bucket lists no files: no objects, as data files without rows
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
