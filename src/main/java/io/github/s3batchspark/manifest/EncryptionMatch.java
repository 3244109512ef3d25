package io.github.s3batchspark.manifest;

import io.github.s3batchspark.job.spec.ObjectEncryptionFilter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One member of {@code MatchAnyObjectEncryption}: an encryption type (as S3 Inventory names it:
 * SSE-S3, SSE-KMS, DSSE-KMS, SSE-C, NOT-SSE) and, for SSE-KMS and DSSE-KMS, the key and
 * bucket-key setting the object must have when the filter names them.
 *
 * @param type             the inventory name of the encryption
 * @param kmsKeyArn        the KMS key the object must be encrypted with, or null for any
 * @param bucketKeyEnabled whether the object must (true) or must not (false) use an S3 Bucket
 *                         Key, or null for either
 */
public record EncryptionMatch(String type, String kmsKeyArn, Boolean bucketKeyEnabled)
    implements Serializable {

  static EncryptionMatch of(ObjectEncryptionFilter filter, String field) {
    List<EncryptionMatch> given = new ArrayList<>();
    if (filter != null) {
      if (filter.sSES3() != null) {
        given.add(new EncryptionMatch(ObjectFacts.SSE_S3, null, null));
      }
      if (filter.ssekms() != null) {
        given.add(new EncryptionMatch(ObjectFacts.SSE_KMS, blankToNull(filter.ssekms().kmsKeyArn()),
            filter.ssekms().bucketKeyEnabled()));
      }
      if (filter.dssekms() != null) {
        given.add(new EncryptionMatch(ObjectFacts.DSSE_KMS,
            blankToNull(filter.dssekms().kmsKeyArn()), null));
      }
      if (filter.ssec() != null) {
        given.add(new EncryptionMatch(ObjectFacts.SSE_C, null, null));
      }
      if (filter.notsse() != null) {
        given.add(new EncryptionMatch(ObjectFacts.NOT_SSE, null, null));
      }
    }
    if (given.size() != 1) {
      throw new ManifestException(field + " must have exactly one of SSES3, SSEKMS, DSSEKMS, SSEC,"
          + " NOTSSE (it has " + given.size() + "); give one filter per encryption type");
    }
    return given.get(0);
  }

  /** Whether an object whose HEAD said {@code facts} is encrypted this way. */
  boolean matches(ObjectFacts facts) {
    return type.equals(facts.encryptionStatus())
        && (kmsKeyArn == null || kmsKeyArn.equals(facts.kmsKeyId()))
        && (bucketKeyEnabled == null || bucketKeyEnabled == facts.bucketKeyEnabled());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
