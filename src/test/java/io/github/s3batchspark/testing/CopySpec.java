package io.github.s3batchspark.testing;

import io.github.s3batchspark.job.spec.S3CopyObjectOperation;
import io.github.s3batchspark.job.spec.S3Grant;
import io.github.s3batchspark.job.spec.S3ObjectMetadata;
import io.github.s3batchspark.job.spec.S3Tag;
import java.time.Instant;
import java.util.List;

/**
 * A fluent way to write the job spec's S3PutObjectCopy in tests (the generated record has 18
 * positional fields): {@code CopySpec.to(bucket).prefix("p/").storageClass("GLACIER").build()}.
 */
public final class CopySpec {
  private String targetResource;
  private String cannedAcl;
  private List<S3Grant> grants;
  private String metadataDirective;
  private Instant modifiedSince;
  private S3ObjectMetadata newMetadata;
  private List<S3Tag> newTagging;
  private String redirectLocation;
  private Boolean requesterPays;
  private String storageClass;
  private Instant unmodifiedSince;
  private String kmsKeyId;
  private String prefix;
  private String legalHold;
  private String lockMode;
  private Instant retainUntil;
  private Boolean bucketKey;
  private String checksumAlgorithm;

  private CopySpec(String targetResource) {
    this.targetResource = targetResource;
  }

  /** A copy into this bucket, named by its ARN as the job spec does. */
  public static CopySpec to(String bucket) {
    return new CopySpec("arn:aws:s3:::" + bucket);
  }

  public static CopySpec toResource(String targetResource) {
    return new CopySpec(targetResource);
  }

  public CopySpec prefix(String p) { this.prefix = p; return this; }
  public CopySpec cannedAcl(String acl) { this.cannedAcl = acl; return this; }
  public CopySpec grants(List<S3Grant> g) { this.grants = g; return this; }
  public CopySpec metadataDirective(String d) { this.metadataDirective = d; return this; }
  public CopySpec modifiedSince(Instant t) { this.modifiedSince = t; return this; }
  public CopySpec unmodifiedSince(Instant t) { this.unmodifiedSince = t; return this; }
  public CopySpec newMetadata(S3ObjectMetadata m) { this.newMetadata = m; return this; }
  public CopySpec newTagging(List<S3Tag> t) { this.newTagging = t; return this; }
  public CopySpec redirectLocation(String r) { this.redirectLocation = r; return this; }
  public CopySpec requesterPays(boolean r) { this.requesterPays = r; return this; }
  public CopySpec storageClass(String s) { this.storageClass = s; return this; }
  public CopySpec kmsKeyId(String k) { this.kmsKeyId = k; return this; }
  public CopySpec bucketKeyEnabled(boolean b) { this.bucketKey = b; return this; }
  public CopySpec checksumAlgorithm(String a) { this.checksumAlgorithm = a; return this; }

  public CopySpec objectLock(String mode, Instant until, String legalHoldStatus) {
    this.lockMode = mode;
    this.retainUntil = until;
    this.legalHold = legalHoldStatus;
    return this;
  }

  public S3CopyObjectOperation build() {
    return new S3CopyObjectOperation(targetResource, cannedAcl, grants, metadataDirective,
        modifiedSince, newMetadata, newTagging, redirectLocation, requesterPays, storageClass,
        unmodifiedSince, kmsKeyId, prefix, legalHold, lockMode, retainUntil, bucketKey,
        checksumAlgorithm);
  }
}
