package io.github.s3batchspark.manifest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The columns a job's manifest will have in the canonical schema, known before Spark reads it,
 * so that a {@code ManifestFilter.Where} is checked when the job is created: a CSV manifest's
 * come from {@code Manifest.Spec.Fields}, an inventory report's from its manifest.json.
 */
public final class ManifestColumns {
  /** Every column an S3 Inventory report can have, as the canonical schema names them. */
  static final List<String> INVENTORY = List.of(ManifestSchema.BUCKET, ManifestSchema.KEY,
      ManifestSchema.VERSION_ID, ManifestSchema.ETAG, ManifestSchema.IS_LATEST,
      ManifestSchema.IS_DELETE_MARKER, ManifestSchema.SIZE, ManifestSchema.LAST_MODIFIED_DATE,
      ManifestSchema.STORAGE_CLASS, ManifestSchema.IS_MULTIPART_UPLOADED,
      ManifestSchema.REPLICATION_STATUS, ManifestSchema.ENCRYPTION_STATUS,
      ManifestSchema.OBJECT_LOCK_RETAIN_UNTIL_DATE, ManifestSchema.OBJECT_LOCK_MODE,
      ManifestSchema.OBJECT_LOCK_LEGAL_HOLD_STATUS,
      ManifestSchema.INTELLIGENT_TIERING_ACCESS_TIER, ManifestSchema.BUCKET_KEY_STATUS,
      ManifestSchema.CHECKSUM_ALGORITHM, ManifestSchema.OBJECT_ACCESS_CONTROL_LIST,
      ManifestSchema.OBJECT_OWNER);

  private ManifestColumns() {}

  /**
   * The manifest's columns: for an inventory report, read from its manifest.json (pinned to
   * the spec's version and ETag, as the run will read it).
   *
   * @throws ManifestException when the inventory's manifest.json cannot be read or trusted
   */
  public static List<String> of(ManifestRequest request, S3Client s3) {
    if (request.format() == ManifestFormat.S3_BATCH_OPERATIONS_CSV) {
      return known(request);
    }
    InventoryManifest inventory = InventoryReportReader.readManifestJson(s3,
        request.location());
    if (inventory.fileSchema().isEmpty()) {
      return INVENTORY; // an ORC or Parquet schema text we do not recognise: the run checks
    }
    Set<String> columns = new LinkedHashSet<>(List.of(ManifestSchema.BUCKET, ManifestSchema.KEY,
        ManifestSchema.VERSION_ID, ManifestSchema.ETAG));
    inventory.fileSchema().forEach(c -> columns.add(ManifestSchema.canonicalName(c)));
    return List.copyOf(columns);
  }

  /**
   * The columns known without reading anything: a CSV manifest's exactly, an inventory
   * report's at most (every inventory column; the run checks the report's own).
   */
  public static List<String> known(ManifestRequest request) {
    if (request.format() == ManifestFormat.S3_INVENTORY_REPORT) {
      return INVENTORY;
    }
    List<String> columns = new ArrayList<>();
    for (ManifestField field : request.fields()) {
      switch (field) {
        case BUCKET -> columns.add(ManifestSchema.BUCKET);
        case KEY -> columns.add(ManifestSchema.KEY);
        case VERSION_ID -> columns.add(ManifestSchema.VERSION_ID);
        case IGNORE -> { }
      }
    }
    return columns;
  }
}
