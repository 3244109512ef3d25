package io.github.s3batchspark.testing;

import java.util.Locale;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Fresh, uniquely named buckets so that tests sharing one server never see each other's data,
 * and the settings tests give them.
 */
public final class Buckets {
  private Buckets() {}

  public static String create(S3Client s3, String purpose) {
    String name = (purpose + "-" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
    s3.createBucket(b -> b.bucket(name));
    return name;
  }

  /** A fresh bucket with versioning enabled. */
  public static String createVersioned(S3Client s3, String purpose) {
    String name = create(s3, purpose);
    s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(
        v -> v.status(BucketVersioningStatus.ENABLED)));
    return name;
  }

  /**
   * Gives {@code source} a replication configuration of one enabled rule, id {@code all}, that
   * replicates every object to {@code target} in {@code storageClass}.
   */
  public static void replicateEverything(S3Client s3, String source, String target,
      StorageClass storageClass) {
    s3.putBucketReplication(b -> b.bucket(source).replicationConfiguration(c -> c
        .role("arn:aws:iam::123456789012:role/replication")
        .rules(rule -> rule.id("all").priority(1).status(ReplicationRuleStatus.ENABLED)
            .filter(f -> f.prefix(""))
            .deleteMarkerReplication(d -> d.status("Disabled"))
            .destination(d -> d.bucket("arn:aws:s3:::" + target).storageClass(storageClass)))));
  }

  /** Puts a small object and returns its ETag (quoted, as S3 returns it). */
  public static String put(S3Client s3, String bucket, String key, String body) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).eTag();
  }
}
