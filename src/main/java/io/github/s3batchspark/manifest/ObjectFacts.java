package io.github.s3batchspark.manifest;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What the requests made per object said about it: its encryption and replication status (a
 * HEAD) and its tags (GetObjectTagging), each null when it was not asked for.
 *
 * @param encryptionStatus  SSE-S3, SSE-KMS, DSSE-KMS, SSE-C or NOT-SSE, as S3 Inventory says it
 * @param kmsKeyId          the KMS key ARN of an SSE-KMS or DSSE-KMS object
 * @param bucketKeyEnabled  whether the object uses an S3 Bucket Key
 * @param replicationStatus COMPLETED, FAILED, REPLICA, PENDING, or null for none
 * @param tags              the object's tags
 * @param lock              its Object Lock settings, from a HEAD ({@link ObjectLock#NONE} when it
 *                          has none or nobody asked)
 */
public record ObjectFacts(String encryptionStatus, String kmsKeyId, boolean bucketKeyEnabled,
    String replicationStatus, Map<String, String> tags, ObjectLock lock) {

  /**
   * An object's Object Lock settings as a HEAD gives them, each null when unset.
   *
   * @param mode            GOVERNANCE or COMPLIANCE
   * @param retainUntilDate until when the mode protects it
   * @param legalHoldStatus ON or OFF
   */
  public record ObjectLock(String mode, Instant retainUntilDate, String legalHoldStatus) {
    static final ObjectLock NONE = new ObjectLock(null, null, null);
  }

  static final String SSE_S3 = "SSE-S3";
  static final String SSE_KMS = "SSE-KMS";
  static final String DSSE_KMS = "DSSE-KMS";
  static final String SSE_C = "SSE-C";
  static final String NOT_SSE = "NOT-SSE";

  /** Nothing asked. */
  static final ObjectFacts UNKNOWN = new ObjectFacts(null, null, false, null, Map.of(),
      ObjectLock.NONE);

  static ObjectFacts of(HeadObjectResponse head) {
    String sse = head.serverSideEncryptionAsString();
    String type = head.sseCustomerAlgorithm() != null ? SSE_C
        : sse == null ? NOT_SSE
        : sse.equals("AES256") ? SSE_S3
        : sse.equals("aws:kms") ? SSE_KMS
        : sse.equals("aws:kms:dsse") ? DSSE_KMS
        : sse;
    String status = head.replicationStatusAsString();
    // S3 has said both COMPLETE and COMPLETED; the filter's value is COMPLETED
    if ("COMPLETE".equals(status)) {
      status = "COMPLETED";
    }
    return new ObjectFacts(type, head.ssekmsKeyId(), Boolean.TRUE.equals(head.bucketKeyEnabled()),
        status, Map.of(), new ObjectLock(head.objectLockModeAsString(),
            head.objectLockRetainUntilDate(), head.objectLockLegalHoldStatusAsString()));
  }

  /**
   * An SSE-C object: S3 answers a HEAD without the customer's key with 400, which is all a job
   * that does not hold the key can learn (and all the filter needs).
   */
  static ObjectFacts customerKey() {
    return new ObjectFacts(SSE_C, null, false, null, Map.of(), ObjectLock.NONE);
  }

  ObjectFacts withTags(Map<String, String> tags) {
    return new ObjectFacts(encryptionStatus, kmsKeyId, bucketKeyEnabled, replicationStatus,
        Map.copyOf(tags), lock);
  }

  /** The status as {@code ObjectReplicationStatuses} names it: NONE when there is none. */
  String replicationStatusOrNone() {
    return replicationStatus == null || replicationStatus.isEmpty() ? "NONE" : replicationStatus;
  }

  /** S3 Inventory's BucketKeyStatus. */
  String bucketKeyStatus() {
    return bucketKeyEnabled ? "ENABLED" : "DISABLED";
  }
}
