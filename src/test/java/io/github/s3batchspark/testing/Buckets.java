package io.github.s3batchspark.testing;

import java.util.Locale;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Fresh, uniquely named buckets so that tests sharing one server never see each other's data. */
public final class Buckets {
  private Buckets() {}

  public static String create(S3Client s3, String purpose) {
    String name = (purpose + "-" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
    s3.createBucket(b -> b.bucket(name));
    return name;
  }

  /** Puts a small object and returns its ETag (quoted, as S3 returns it). */
  public static String put(S3Client s3, String bucket, String key, String body) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).eTag();
  }
}
