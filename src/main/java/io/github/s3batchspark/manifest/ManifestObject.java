package io.github.s3batchspark.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
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
 *
 * <p>Serialisable, so that executors can read byte ranges of exactly the content the driver
 * checked (s3a could not: it pins neither a version nor an ETag).
 */
final class ManifestObject implements Serializable {
  /** A split's last line ends past its range: the first GET fetches this much beyond it. */
  private static final long TAIL_BYTES = 64 * 1024;
  /** GETs after the first, should a line run on further. */
  private static final long FOLLOWING_RANGE_BYTES = 1 << 20;

  private final ManifestLocation location;
  private final String etag;
  private final String versionId;
  private final long size;

  private ManifestObject(ManifestLocation location, String etag, String versionId, long size) {
    this.location = location;
    this.etag = etag;
    this.versionId = versionId;
    this.size = size;
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
    long size = head.contentLength() == null ? 0 : head.contentLength();
    return new ManifestObject(location, actual, version, size);
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

  /**
   * The verified content from byte {@code from} on, fetched in ranged GETs pinned like
   * {@link #open}: the first reaches a little past {@code until}, the next ones 1 MiB each, as
   * far as the reader reads (at most to the end of the object). So a reader that stops soon after
   * {@code until} costs one request.
   */
  InputStream openAt(S3Client s3, long from, long until) {
    return new PinnedRanges(s3, from, Math.max(from, until) + TAIL_BYTES);
  }

  ManifestLocation location() {
    return location;
  }

  /** Bytes of the verified content. */
  long size() {
    return size;
  }

  /** Reads [from, size) as consecutive ranges of the pinned version. */
  private final class PinnedRanges extends InputStream {
    private final S3Client s3;
    private long next;
    private long firstEnd;
    private InputStream range;
    private long rangeEnd;

    PinnedRanges(S3Client s3, long from, long firstEnd) {
      this.s3 = s3;
      this.next = from;
      this.firstEnd = firstEnd;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (next >= size) {
        return -1;
      }
      if (range == null) {
        openRange();
      }
      int n = range.read(buffer, offset, (int) Math.min(length, rangeEnd - next));
      if (n < 0) {
        throw new IOException("the content of manifest " + location.uri() + " ended at byte "
            + next + ", before the " + size + " bytes its HEAD announced");
      }
      next += n;
      if (next == rangeEnd) {
        closeRange();
      }
      return n;
    }

    private void openRange() {
      long end = Math.min(size, firstEnd > next ? firstEnd : next + FOLLOWING_RANGE_BYTES);
      firstEnd = 0;
      String bytes = "bytes=" + next + "-" + (end - 1);
      try {
        range = s3.getObject(b -> b.bucket(location.bucket()).key(location.key())
            .versionId(versionId).ifMatch("\"" + etag + "\"").range(bytes));
      } catch (S3Exception e) {
        throw failure(location, e);
      } catch (SdkException e) {
        throw unreachable(location, e);
      }
      rangeEnd = end;
    }

    private void closeRange() throws IOException {
      InputStream done = range;
      range = null;
      done.close();
    }

    @Override
    public void close() throws IOException {
      if (range != null) {
        closeRange();
      }
    }
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
