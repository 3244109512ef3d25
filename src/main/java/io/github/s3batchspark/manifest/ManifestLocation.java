package io.github.s3batchspark.manifest;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the manifest object is ({@code Manifest.Location} in the job spec) and which content
 * the job was specified against.
 *
 * @param bucket    bucket of the manifest object
 * @param key       key of the manifest object, exactly as stored
 * @param versionId the version to read, or null for the current one
 * @param etag      the ETag the job spec names; the manifest is refused when the object's differs
 */
public record ManifestLocation(String bucket, String key, String versionId, String etag)
    implements Serializable {

  private static final Pattern OBJECT_ARN =
      Pattern.compile("arn:[^:]+:s3:[^:]*:[^:]*:([^/]+)/(.+)", Pattern.DOTALL);

  public ManifestLocation {
    if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
      throw new ManifestException("Manifest.Location needs a bucket and a key, got bucket '"
          + bucket + "' and key '" + key + "'");
    }
    if (etag == null || unquoted(etag).isEmpty()) {
      throw new ManifestException("Manifest.Location.ETag is required for s3://" + bucket + "/"
          + key + ": give the manifest object's ETag (aws s3api head-object shows it)");
    }
    versionId = versionId == null || versionId.isEmpty() ? null : versionId;
  }

  /**
   * The location named by {@code Manifest.Location}: an object ARN such as
   * {@code arn:aws:s3:::bucket/key/with/slashes} (the key is taken literally, not URL-decoded).
   */
  public static ManifestLocation fromObjectArn(String objectArn, String objectVersionId,
      String etag) {
    Matcher m = OBJECT_ARN.matcher(objectArn == null ? "" : objectArn);
    if (!m.matches()) {
      throw new ManifestException("Manifest.Location.ObjectArn '" + objectArn
          + "' is not an S3 object ARN: expected arn:aws:s3:::bucket/key");
    }
    return new ManifestLocation(m.group(1), m.group(2), objectVersionId, etag);
  }

  /** The ETag the job spec names, without the quotes S3 puts around it. */
  public String unquotedEtag() {
    return unquoted(etag);
  }

  /** {@code s3://bucket/key}, for messages. */
  public String uri() {
    return "s3://" + bucket + "/" + key + (versionId == null ? "" : " (version " + versionId + ")");
  }

  static String unquoted(String etag) {
    if (etag == null) {
      return null;
    }
    String trimmed = etag.trim();
    if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
      return trimmed.substring(1, trimmed.length() - 1);
    }
    return trimmed;
  }
}
