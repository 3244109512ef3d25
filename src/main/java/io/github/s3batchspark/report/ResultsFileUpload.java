package io.github.s3batchspark.report;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One results file streamed to S3 as its lines come: a single PutObject while it is smaller than
 * a part, else a multipart upload of parts of {@code partSize} bytes. At most one part is held
 * in memory, and the MD5 of the whole file is computed on the way.
 */
final class ResultsFileUpload {
  private static final String CONTENT_TYPE = "text/csv";

  private final S3Client s3;
  private final String bucket;
  /** Sent with every request, so that a bucket of another account is never written. */
  private final String expectedBucketOwner;
  private final String key;
  private final int partSize;
  private final MessageDigest md5 = newMd5();
  private final List<CompletedPart> parts = new ArrayList<>();
  private ByteArrayOutputStream buffer;
  private String uploadId;
  private long lines;

  ResultsFileUpload(S3Client s3, String bucket, String expectedBucketOwner, String key,
      int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.expectedBucketOwner = expectedBucketOwner;
    this.key = key;
    this.partSize = partSize;
    this.buffer = new ByteArrayOutputStream(Math.min(partSize, 1 << 20));
  }

  String key() {
    return key;
  }

  void writeLine(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    md5.update(bytes);
    buffer.writeBytes(bytes);
    lines++;
    if (buffer.size() >= partSize) {
      uploadPart();
    }
  }

  /** Makes the object visible; returns the MD5 hex of the whole file. */
  String finish() {
    try {
      if (uploadId == null) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .expectedBucketOwner(expectedBucketOwner),
            RequestBody.fromBytes(buffer.toByteArray()));
      } else {
        if (buffer.size() > 0) {
          uploadPart();
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
            .expectedBucketOwner(expectedBucketOwner).multipartUpload(m -> m.parts(parts)));
      }
    } catch (SdkException e) {
      throw failure(e);
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  long lines() {
    return lines;
  }

  /** Drops the parts already sent, so a failed report leaves no hidden upload to pay for. */
  void abort(Throwable cause) {
    if (uploadId == null) {
      return;
    }
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .expectedBucketOwner(expectedBucketOwner));
    } catch (SdkException e) {
      cause.addSuppressed(e);
    }
  }

  private void uploadPart() {
    try {
      if (uploadId == null) {
        uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
            .contentType(CONTENT_TYPE).expectedBucketOwner(expectedBucketOwner)).uploadId();
      }
      int number = parts.size() + 1;
      String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .partNumber(number).expectedBucketOwner(expectedBucketOwner), RequestBody.fromBytes(buffer.toByteArray())).eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      buffer = new ByteArrayOutputStream(partSize);
    } catch (SdkException e) {
      throw failure(e);
    }
  }

  private IllegalStateException failure(SdkException e) {
    return new IllegalStateException("Cannot write the completion report file s3://" + bucket
        + "/" + key + ": " + e.getMessage(), e);
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5, which the report manifest needs", e);
    }
  }
}
