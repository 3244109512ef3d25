package io.github.s3batchspark.manifest;

import java.io.InputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The manifest object as the job spec names it, checked against the store: it exists, it is
 * readable, and its ETag is the one the spec gives (so the job runs on the list its author saw).
 * Reads pin both the version and the ETag, so content that changes after the check is refused
 * rather than read.
 */
final class ManifestObject {
  private final ManifestLocation location;
  private final String etag;
  private final String versionId;

  private ManifestObject(ManifestLocation location, String etag, String versionId) {
    this.location = location;
    this.etag = etag;
    this.versionId = versionId;
  }

  /** HEADs the object and refuses it when it is missing, unreadable or has another ETag. */
  static ManifestObject verify(S3Client s3, ManifestLocation location) {
    HeadObjectResponse head = head(s3, location);
    String actual = ManifestLocation.unquoted(head.eTag());
    if (!location.unquotedEtag().equalsIgnoreCase(actual)) {
      throw new ManifestException("Manifest " + location.uri() + " has ETag " + actual
          + " but the job spec names ETag " + location.unquotedEtag()
          + ": the manifest changed since the job was specified; check its content and update"
          + " Manifest.Location.ETag (or name the intended ObjectVersionId)");
    }
    String version = location.versionId() != null ? location.versionId() : head.versionId();
    return new ManifestObject(location, actual, version);
  }

  /** The verified content; the read fails if the object changed since {@link #verify}. */
  InputStream open(S3Client s3) {
    try {
      return s3.getObject(b -> b.bucket(location.bucket()).key(location.key())
          .versionId(versionId).ifMatch("\"" + etag + "\""));
    } catch (S3Exception e) {
      throw failure(location, e);
    } catch (SdkException e) {
      throw unreachable(location, e);
    }
  }

  ManifestLocation location() {
    return location;
  }

  private static HeadObjectResponse head(S3Client s3, ManifestLocation location) {
    try {
      return s3.headObject(b -> b.bucket(location.bucket()).key(location.key())
          .versionId(location.versionId()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !bucketExists(s3, location.bucket())) {
        throw new ManifestException("Cannot read manifest " + location.uri() + ": bucket '"
            + location.bucket() + "' does not exist (check Manifest.Location.ObjectArn)", e);
      }
      throw failure(location, e);
    } catch (SdkException e) {
      throw unreachable(location, e);
    }
  }

  private static boolean bucketExists(S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return true;
    } catch (S3Exception e) {
      return e.statusCode() != 404;
    }
  }

  static ManifestException failure(ManifestLocation location, S3Exception e) {
    String why = switch (e.statusCode()) {
      case 404 -> location.versionId() == null
          ? "the object does not exist (check Manifest.Location.ObjectArn)"
          : "the object or version does not exist (check ObjectArn and ObjectVersionId)";
      case 403 -> "access denied: the job's credentials need s3:GetObject"
          + (location.versionId() == null ? "" : " and s3:GetObjectVersion") + " on it";
      case 412 -> "it changed while being read; check it and update Manifest.Location.ETag";
      default -> "S3 answered " + e.statusCode() + " "
          + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode());
    };
    return new ManifestException("Cannot read manifest " + location.uri() + ": " + why, e);
  }

  static ManifestException unreachable(ManifestLocation location, SdkException e) {
    String what = e instanceof SdkClientException ? "cannot reach S3" : "S3 request failed";
    return new ManifestException("Cannot read manifest " + location.uri() + ": " + what + " ("
        + e.getMessage() + "); check the endpoint, region and network", e);
  }
}
