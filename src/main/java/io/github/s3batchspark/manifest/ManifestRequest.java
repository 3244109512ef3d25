package io.github.s3batchspark.manifest;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;

/**
 * What the job spec says about its manifest: the {@code Manifest} element of CreateJob plus our
 * {@code ManifestFilter} extension, as plain values.
 *
 * @param format   the manifest format
 * @param location the manifest object and the ETag it must have
 * @param fields   the columns of a CSV manifest ({@code Manifest.Spec.Fields}); defaults to
 *                 {@code Bucket,Key}; ignored (empty) for an inventory report
 * @param where    a Spark SQL boolean expression over the canonical columns
 *                 ({@code ManifestFilter.Where}), or null to keep every row
 */
public record ManifestRequest(ManifestFormat format, ManifestLocation location,
    List<ManifestField> fields, String where) implements Serializable {

  public static final List<ManifestField> DEFAULT_FIELDS =
      List.of(ManifestField.BUCKET, ManifestField.KEY);

  public ManifestRequest {
    if (format == null) {
      throw new ManifestException("Manifest.Spec.Format is required");
    }
    if (location == null) {
      throw new ManifestException("Manifest.Location is required");
    }
    if (format == ManifestFormat.S3_INVENTORY_REPORT) {
      fields = List.of();
    } else {
      checkFields(fields == null || fields.isEmpty() ? DEFAULT_FIELDS : fields);
      fields = fields == null || fields.isEmpty() ? DEFAULT_FIELDS : List.copyOf(fields);
    }
    where = where == null || where.isBlank() ? null : where.trim();
  }

  /** A CSV manifest ({@code S3BatchOperations_CSV_20180820}) with these columns. */
  public static ManifestRequest csv(ManifestLocation location, List<ManifestField> fields) {
    return new ManifestRequest(ManifestFormat.S3_BATCH_OPERATIONS_CSV, location, fields, null);
  }

  /** An S3 Inventory report ({@code S3InventoryReport_CSV_20161130}) whose manifest.json is here. */
  public static ManifestRequest inventory(ManifestLocation location) {
    return new ManifestRequest(ManifestFormat.S3_INVENTORY_REPORT, location, null, null);
  }

  /** The same request with {@code ManifestFilter.Where} set. */
  public ManifestRequest withWhere(String where) {
    return new ManifestRequest(format, location, fields, where);
  }

  private static void checkFields(List<ManifestField> fields) {
    int buckets = Collections.frequency(fields, ManifestField.BUCKET);
    int keys = Collections.frequency(fields, ManifestField.KEY);
    int versions = Collections.frequency(fields, ManifestField.VERSION_ID);
    if (buckets != 1 || keys != 1 || versions > 1 || fields.stream().anyMatch(f -> f == null)) {
      throw new ManifestException("Manifest.Spec.Fields " + names(fields)
          + " must name Bucket and Key exactly once and VersionId at most once"
          + " (other columns are Ignore), for example [Bucket, Key, VersionId]");
    }
  }

  static String names(List<ManifestField> fields) {
    return fields.stream().map(f -> f == null ? "null" : f.specName()).toList().toString();
  }
}
