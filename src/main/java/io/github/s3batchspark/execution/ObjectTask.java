package io.github.s3batchspark.execution;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * One manifest row as the executor sees it: the object to act on and, when the manifest
 * carried one, the ETag that the object must still have (the guard).
 *
 * @param taskId    stable id of the task within its job (assigned once, in the manifest stage)
 * @param bucket    bucket name
 * @param key       object key, decoded (the exact bytes of the key, never URL-encoded)
 * @param versionId version to act on, or null for the current version
 * @param etag      the ETag the object must still have, or null when there is no guard
 * @param columns   the manifest row's other columns (inventory fields such as {@code size},
 *                  {@code storage_class}) as text, null ones left out; for Java functions
 */
public record ObjectTask(long taskId, String bucket, String key, String versionId, String etag,
    Map<String, String> columns) implements Serializable {

  public ObjectTask {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    versionId = blankToNull(versionId);
    etag = blankToNull(etag);
    columns = columns == null ? Map.of() : Map.copyOf(columns);
  }

  /** A task with no columns beyond the canonical ones. */
  public ObjectTask(long taskId, String bucket, String key, String versionId, String etag) {
    this(taskId, bucket, key, versionId, etag, Map.of());
  }

  public boolean guarded() {
    return etag != null;
  }

  /** The ETag in the quoted form that S3 precondition headers compare against. */
  public String quotedEtag() {
    if (etag == null) {
      return null;
    }
    return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
