package io.github.s3batchspark.manifest;

import java.io.InputStream;
import java.io.Serializable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One inventory data file as its checksum was verified: the ETag and version of the very bytes
 * whose MD5 matched manifest.json. The rows are read from exactly those bytes: every read is
 * pinned to the version (when the bucket gave one) and to the ETag, with {@code If-Match}, and
 * the ETag of the answer is compared as well, for stores that ignore {@code If-Match}.
 *
 * <p>So a file replaced between the check and the read is refused, naming it; on a versioned
 * bucket the checked version is still there and is read as checked.
 *
 * @param bucket    the report's destination bucket
 * @param key       the data file's key
 * @param etag      the ETag of the bytes hashed, unquoted (null only from a store that sends none)
 * @param versionId their version, or null when the bucket is not versioned
 */
record CheckedDataFile(String bucket, String key, String etag, String versionId)
    implements Serializable {

  /** {@code s3://bucket/key}, as every message names the file. */
  String uri() {
    return "s3://" + bucket + "/" + key;
  }

  /** The checked bytes; refuses the file when they are no longer there. */
  InputStream open(S3Client s3) {
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(b -> b.bucket(bucket).key(key).versionId(versionId)
          .ifMatch(etag == null ? null : "\"" + etag + "\""));
    } catch (S3Exception e) {
      throw refusal(e);
    } catch (SdkException e) {
      throw new ManifestException("Inventory data file " + uri() + " cannot be read: "
          + ManifestException.oneLine(e.getMessage()) + "; check the endpoint and network", e);
    }
    String read = ManifestLocation.unquoted(in.response().eTag());
    if (etag != null && read != null && !read.equalsIgnoreCase(etag)) {
      in.abort();
      throw changed("its ETag is now " + read + ", its checksum was verified with ETag " + etag);
    }
    return in;
  }

  private ManifestException refusal(S3Exception e) {
    return switch (e.statusCode()) {
      case 412 -> changed("S3 answered 412: its ETag is no longer " + etag);
      case 404 -> changed("it no longer exists" + (versionId == null ? ""
          : " in version " + versionId));
      case 403 -> new ManifestException("Inventory data file " + uri() + " cannot be read:"
          + " access denied; the job's credentials need s3:GetObject"
          + (versionId == null ? "" : " and s3:GetObjectVersion") + " on it", e);
      default -> new ManifestException("Inventory data file " + uri() + " cannot be read: S3"
          + " answered " + e.statusCode() + " " + (e.awsErrorDetails() == null ? ""
          : e.awsErrorDetails().errorCode()), e);
    };
  }

  private ManifestException changed(String why) {
    return new ManifestException("Inventory data file " + uri() + " changed after its checksum"
        + " was verified (" + why + "); it was not read. Run the job again on a report that is"
        + " not being rewritten");
  }
}
