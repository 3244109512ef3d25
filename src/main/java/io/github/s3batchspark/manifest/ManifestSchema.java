package io.github.s3batchspark.manifest;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The canonical manifest schema that every manifest source produces: {@code bucket}, {@code key}
 * (decoded, the exact key), {@code version_id} and {@code etag} first, then whatever inventory
 * columns the source had in snake_case, and {@code task_id} once ids are assigned.
 *
 * <p>The execution stage relies on the first four columns only; the others exist so that a
 * {@code ManifestFilter.Where} can select on them ({@code storage_class = 'GLACIER'}).
 */
public final class ManifestSchema {
  public static final String BUCKET = "bucket";
  public static final String KEY = "key";
  /** Null means the current version; the string {@code null} is S3's id of the null version. */
  public static final String VERSION_ID = "version_id";
  /** When present, the ETag guard: the operation must not change an object whose ETag differs. */
  public static final String ETAG = "etag";
  public static final String TASK_ID = "task_id";

  // inventory columns (names as S3 Inventory's ORC and Parquet files spell them, ETag excepted)
  public static final String IS_LATEST = "is_latest";
  public static final String IS_DELETE_MARKER = "is_delete_marker";
  public static final String SIZE = "size";
  public static final String LAST_MODIFIED_DATE = "last_modified_date";
  public static final String STORAGE_CLASS = "storage_class";
  public static final String IS_MULTIPART_UPLOADED = "is_multipart_uploaded";
  public static final String REPLICATION_STATUS = "replication_status";
  public static final String ENCRYPTION_STATUS = "encryption_status";
  public static final String OBJECT_LOCK_RETAIN_UNTIL_DATE = "object_lock_retain_until_date";
  public static final String OBJECT_LOCK_MODE = "object_lock_mode";
  public static final String OBJECT_LOCK_LEGAL_HOLD_STATUS = "object_lock_legal_hold_status";
  public static final String INTELLIGENT_TIERING_ACCESS_TIER = "intelligent_tiering_access_tier";
  public static final String BUCKET_KEY_STATUS = "bucket_key_status";
  public static final String CHECKSUM_ALGORITHM = "checksum_algorithm";
  public static final String OBJECT_ACCESS_CONTROL_LIST = "object_access_control_list";
  public static final String OBJECT_OWNER = "object_owner";

  /** The typed inventory columns; every other inventory column is a string. */
  static final Map<String, DataType> INVENTORY_TYPES = Map.of(
      SIZE, DataTypes.LongType,
      LAST_MODIFIED_DATE, DataTypes.TimestampType,
      OBJECT_LOCK_RETAIN_UNTIL_DATE, DataTypes.TimestampType,
      IS_LATEST, DataTypes.BooleanType,
      IS_DELETE_MARKER, DataTypes.BooleanType,
      IS_MULTIPART_UPLOADED, DataTypes.BooleanType);

  /** The schema of a source that has only the four object columns (a CSV manifest). */
  public static final StructType OBJECT_COLUMNS = new StructType()
      .add(BUCKET, DataTypes.StringType, false)
      .add(KEY, DataTypes.StringType, false)
      .add(VERSION_ID, DataTypes.StringType, true)
      .add(ETAG, DataTypes.StringType, true);

  private ManifestSchema() {}

  /**
   * The canonical name of a source column: inventory CSV schemas say {@code LastModifiedDate},
   * ORC and Parquet files say {@code last_modified_date}; both become {@code last_modified_date},
   * and the inventory's {@code ETag} / {@code e_tag} becomes {@link #ETAG}.
   */
  public static String canonicalName(String sourceName) {
    String name = sourceName.trim();
    StringBuilder snake = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && startsWord(name, i)) {
        snake.append('_');
      }
      snake.append(c);
    }
    String canonical = snake.toString().toLowerCase(Locale.ROOT);
    return canonical.equals("e_tag") ? ETAG : canonical;
  }

  // "VersionId" -> Version|Id, "ETag" -> E|Tag, "IsDeleteMarker" -> Is|Delete|Marker
  private static boolean startsWord(String name, int i) {
    char previous = name.charAt(i - 1);
    boolean nextIsLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
    return Character.isLowerCase(previous) || Character.isDigit(previous)
        || (Character.isUpperCase(previous) && nextIsLower);
  }
}
