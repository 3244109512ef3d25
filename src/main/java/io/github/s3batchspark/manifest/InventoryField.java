package io.github.s3batchspark.manifest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The columns of an S3 Inventory report, in the order Amazon's {@code fileSchema} lists them:
 * the fixed ones (Bucket, Key, and for an all-versions report VersionId, IsLatest,
 * IsDeleteMarker), then the {@code OptionalFields} of an {@code InventoryConfiguration}. Each has
 * the name a CSV report's fileSchema gives it (which is also its OptionalFields name), the name
 * of its ORC and Parquet field, its type, and where a generated inventory learns its value: the
 * listing, or a HEAD of each object.
 *
 * <p>Two optional fields are refused, because neither a listing nor a HEAD answers them:
 * IntelligentTieringAccessTier (a HEAD names only the archive tiers, never FREQUENT, INFREQUENT
 * or ARCHIVE_INSTANT access) and ObjectAccessControlList (a GetObjectAcl per object).
 */
public enum InventoryField {
  BUCKET("Bucket", "bucket", Type.STRING, Source.LISTING),
  KEY("Key", "key", Type.STRING, Source.LISTING),
  VERSION_ID("VersionId", "version_id", Type.STRING, Source.LISTING),
  IS_LATEST("IsLatest", "is_latest", Type.BOOLEAN, Source.LISTING),
  IS_DELETE_MARKER("IsDeleteMarker", "is_delete_marker", Type.BOOLEAN, Source.LISTING),
  SIZE("Size", "size", Type.LONG, Source.LISTING),
  LAST_MODIFIED_DATE("LastModifiedDate", "last_modified_date", Type.TIMESTAMP, Source.LISTING),
  E_TAG("ETag", "e_tag", Type.STRING, Source.LISTING),
  STORAGE_CLASS("StorageClass", "storage_class", Type.STRING, Source.LISTING),
  IS_MULTIPART_UPLOADED("IsMultipartUploaded", "is_multipart_uploaded", Type.BOOLEAN,
      Source.LISTING),
  REPLICATION_STATUS("ReplicationStatus", "replication_status", Type.STRING, Source.HEAD),
  ENCRYPTION_STATUS("EncryptionStatus", "encryption_status", Type.STRING, Source.HEAD),
  OBJECT_LOCK_RETAIN_UNTIL_DATE("ObjectLockRetainUntilDate", "object_lock_retain_until_date",
      Type.TIMESTAMP, Source.HEAD),
  OBJECT_LOCK_MODE("ObjectLockMode", "object_lock_mode", Type.STRING, Source.HEAD),
  OBJECT_LOCK_LEGAL_HOLD_STATUS("ObjectLockLegalHoldStatus", "object_lock_legal_hold_status",
      Type.STRING, Source.HEAD),
  INTELLIGENT_TIERING_ACCESS_TIER("IntelligentTieringAccessTier",
      "intelligent_tiering_access_tier", Type.STRING, Source.NONE),
  BUCKET_KEY_STATUS("BucketKeyStatus", "bucket_key_status", Type.STRING, Source.HEAD),
  CHECKSUM_ALGORITHM("ChecksumAlgorithm", "checksum_algorithm", Type.STRING, Source.LISTING),
  OBJECT_ACCESS_CONTROL_LIST("ObjectAccessControlList", "object_access_control_list",
      Type.STRING, Source.NONE),
  OBJECT_OWNER("ObjectOwner", "object_owner", Type.STRING, Source.LISTING);

  /** How a value is written: a CSV text, an ORC type, a Parquet type. */
  public enum Type { STRING, LONG, BOOLEAN, TIMESTAMP }

  /** Where a generated inventory learns the value. */
  public enum Source { LISTING, HEAD, NONE }

  /** The fields every report has first. */
  static final List<InventoryField> CURRENT_VERSION_COLUMNS = List.of(BUCKET, KEY);
  static final List<InventoryField> ALL_VERSIONS_COLUMNS =
      List.of(BUCKET, KEY, VERSION_ID, IS_LATEST, IS_DELETE_MARKER);

  private final String csvName;
  private final String columnarName;
  private final Type type;
  private final Source source;

  InventoryField(String csvName, String columnarName, Type type, Source source) {
    this.csvName = csvName;
    this.columnarName = columnarName;
    this.type = type;
    this.source = source;
  }

  /** The name in a CSV report's fileSchema and in {@code OptionalFields}. */
  public String csvName() {
    return csvName;
  }

  /** The field's name in an ORC or Parquet data file. */
  public String columnarName() {
    return columnarName;
  }

  public Type type() {
    return type;
  }

  public Source source() {
    return source;
  }

  /** The optional fields, as {@code OptionalFields} may name them. */
  public static List<InventoryField> optional() {
    return Arrays.stream(values()).filter(f -> f.ordinal() > IS_DELETE_MARKER.ordinal())
        .toList();
  }

  /**
   * The optional field {@code name} (as Amazon spells it, in any case).
   *
   * @throws ManifestException naming the value and the fields there are, or why a field that
   *     exists cannot be generated here
   */
  public static InventoryField optionalField(String name, String option) {
    String wanted = name == null ? "" : name.trim();
    InventoryField field = optional().stream()
        .filter(f -> f.csvName.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT)))
        .findFirst().orElseThrow(() -> new ManifestException(option + " '" + wanted
            + "' is not an S3 Inventory optional field: use some of "
            + String.join(",", optional().stream().filter(f -> f.source != Source.NONE)
                .map(InventoryField::csvName).toList())));
    if (field.source == Source.NONE) {
      throw new ManifestException(option + " " + field.csvName + " cannot be generated: "
          + (field == INTELLIGENT_TIERING_ACCESS_TIER
              ? "a HEAD names only the archive access tiers, not the frequent and infrequent ones"
              : "it takes a GetObjectAcl per object, which a listing and a HEAD do not give")
          + "; leave it out");
    }
    return field;
  }

  /**
   * This column's value for one listed object (and what its HEAD said): a String, Long, Boolean
   * or Instant, or null for an empty field.
   */
  Object value(String bucket, ListedObject object, ObjectFacts facts) {
    return switch (this) {
      case BUCKET -> bucket;
      case KEY -> object.key();
      // the null version is an empty VersionId, as S3 Inventory writes it
      case VERSION_ID -> object.versionId() == null || object.versionId().equals("null")
          ? null : object.versionId();
      case IS_LATEST -> object.latest();
      case IS_DELETE_MARKER -> Boolean.FALSE; // the listing skips delete markers
      case SIZE -> object.size();
      case LAST_MODIFIED_DATE -> object.lastModified();
      case E_TAG -> object.etag();
      case STORAGE_CLASS -> object.storageClass();
      // a multipart upload's ETag is the MD5 of its parts' MD5s, followed by -<parts>
      case IS_MULTIPART_UPLOADED -> object.etag() != null && object.etag().contains("-");
      case REPLICATION_STATUS -> facts.replicationStatus();
      case ENCRYPTION_STATUS -> facts.encryptionStatus();
      case OBJECT_LOCK_RETAIN_UNTIL_DATE -> facts.lock().retainUntilDate();
      case OBJECT_LOCK_MODE -> facts.lock().mode();
      case OBJECT_LOCK_LEGAL_HOLD_STATUS -> facts.lock().legalHoldStatus();
      case BUCKET_KEY_STATUS -> facts.encryptionStatus() == null ? null : facts.bucketKeyStatus();
      case CHECKSUM_ALGORITHM -> object.checksumAlgorithm();
      case OBJECT_OWNER -> object.owner();
      case INTELLIGENT_TIERING_ACCESS_TIER, OBJECT_ACCESS_CONTROL_LIST ->
          throw new IllegalStateException(csvName + " is refused before anything is listed");
    };
  }

  /** An Instant value as the data files hold it. */
  static Timestamp timestamp(Object value) {
    return value == null ? null : Timestamp.from((Instant) value);
  }
}
