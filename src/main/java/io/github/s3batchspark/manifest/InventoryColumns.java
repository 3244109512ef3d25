package io.github.s3batchspark.manifest;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of an inventory report's data files, as manifest.json's {@code fileSchema} lists
 * them, under their canonical names ({@link ManifestSchema#canonicalName}: {@code ETag} and
 * {@code e_tag} are both {@code etag}, {@code LastModifiedDate} and {@code last_modified_date}
 * both {@code last_modified_date}), each with its canonical type: the typed inventory columns
 * ({@code size}, the dates, the flags) as {@link ManifestSchema} types them, every other column a
 * string. CSV, ORC and Parquet reports so come out with the same names and types.
 *
 * @param uri        the report's manifest.json, for messages
 * @param listed     the names as fileSchema gives them
 * @param canonical  the canonical names, in the same order
 */
record InventoryColumns(String uri, List<String> listed, List<String> canonical)
    implements Serializable {

  /** What a column of each canonical type holds, for messages. */
  private static final Map<DataType, String> TYPE_NAMES = Map.of(
      DataTypes.LongType, "a whole number",
      DataTypes.TimestampType, "a timestamp",
      DataTypes.BooleanType, "a boolean",
      DataTypes.StringType, "a string");

  /** The columns of {@code fileSchema}; refuses a schema without bucket and key, or repeating one. */
  static InventoryColumns of(List<String> fileSchema, String uri) {
    List<String> canonical = fileSchema.stream().map(ManifestSchema::canonicalName).toList();
    if (!canonical.contains(ManifestSchema.BUCKET) || !canonical.contains(ManifestSchema.KEY)) {
      throw new ManifestException("Inventory report " + uri + " has columns " + fileSchema
          + " without bucket and key: it is not an S3 Inventory report");
    }
    if (canonical.stream().distinct().count() < canonical.size()) {
      throw new ManifestException("Inventory report " + uri + " names a column twice in its"
          + " fileSchema " + fileSchema + "; S3 Inventory names each field once");
    }
    return new InventoryColumns(uri, List.copyOf(fileSchema), canonical);
  }

  /** The Spark schema of the rows read from the data files, in fileSchema's order. */
  StructType schema() {
    StructType schema = new StructType();
    for (String name : canonical) {
      schema = schema.add(name, type(name), true);
    }
    return schema;
  }

  int size() {
    return canonical.size();
  }

  /** The place of a column, by any spelling of its name, or -1. */
  int indexOf(String sourceName) {
    return canonical.indexOf(ManifestSchema.canonicalName(sourceName));
  }

  /**
   * Where each field of an ORC or Parquet data file goes in a row, by canonical name: those files
   * carry their own schema, and it must have exactly fileSchema's columns (in any order).
   */
  int[] positions(List<String> fileFields, CheckedDataFile file) {
    List<String> fields = fileFields.stream().map(ManifestSchema::canonicalName).toList();
    if (fields.size() != canonical.size() || !fields.containsAll(canonical)) {
      throw new ManifestException("Inventory data file " + file.uri() + " has columns "
          + fileFields + " but its manifest.json's fileSchema lists " + listed
          + "; the file does not match its manifest.json");
    }
    return fields.stream().mapToInt(canonical::indexOf).toArray();
  }

  /**
   * Refuses a data file whose field holds another type than the column's canonical one
   * ({@code size} as text, say): its rows would not mean what the report says.
   */
  void checkType(CheckedDataFile file, int column, String field, String fileType,
      boolean matches) {
    if (!matches) {
      throw new ManifestException("Inventory data file " + file.uri() + " has column " + field
          + " of type " + fileType + " where S3 Inventory writes "
          + TYPE_NAMES.get(type(canonical.get(column)))
          + "; the file does not match its manifest.json");
    }
  }

  /** The canonical type of a column: one of {@link ManifestSchema}'s, or string. */
  static DataType type(String canonicalName) {
    return ManifestSchema.INVENTORY_TYPES.getOrDefault(canonicalName, DataTypes.StringType);
  }

  /**
   * A CSV value as the column's type; an empty value is null (S3 Inventory leaves a field empty
   * when the object has no such property).
   *
   * @throws IllegalArgumentException saying what the value should have been
   */
  Object fromText(int column, String text) {
    if (text.isEmpty()) {
      return null;
    }
    DataType type = type(canonical.get(column));
    if (type.equals(DataTypes.LongType)) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw notA("a whole number", column, text);
      }
    }
    if (type.equals(DataTypes.TimestampType)) {
      try {
        return Timestamp.from(Instant.parse(text));
      } catch (DateTimeParseException e) {
        throw notA("a date such as 2024-01-02T03:04:05.000Z", column, text);
      }
    }
    if (type.equals(DataTypes.BooleanType)) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw notA("true or false", column, text);
      };
    }
    return text;
  }

  private IllegalArgumentException notA(String what, int column, String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return new IllegalArgumentException(listed.get(column) + " '" + shown + "', which is not "
        + what);
  }
}
