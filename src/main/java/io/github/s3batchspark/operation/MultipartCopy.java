package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskFailure;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.utils.DateUtils;

/**
 * One object copied by CreateMultipartUpload, UploadPartCopy and CompleteMultipartUpload, so
 * that it ends exactly as one CopyObject with the same request would have left it.
 *
 * <p>Why not the SDK's multipart client ({@code multipartEnabled(true)}): in SDK 2.40.2 it HEADs
 * the source on every copy, small ones included; it drops the source's metadata and tags under
 * the COPY directives; it sends no request-payer header on its HEAD and its
 * CompleteMultipartUpload; and when the task has no ETag it does not pin the parts to one
 * version, so an object overwritten mid-copy could be assembled from two versions.
 *
 * <p>Here every part names the version and ETag that the HEAD saw (the task's ETag when it has
 * one), so a change during the copy fails the parts with 412 instead of mixing contents; an
 * upload that fails is aborted, so no parts are left behind. Parts are copied a few at a time
 * per object: a 5 TiB object has 10,000 parts, and the executor's connection pool is shared
 * with every other task of the partition.
 */
final class MultipartCopy {
  static final int PARTS_IN_FLIGHT = 8;
  static final int MAX_PARTS = 10_000;
  static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

  private final ObjectTask task;
  private final CopyObjectRequest request;
  private final long configuredPartSize;

  /**
   * @param request the CopyObject request that a single copy would send: all the job's
   *                settings for the new object come from it
   */
  MultipartCopy(ObjectTask task, CopyObjectRequest request, long configuredPartSize) {
    this.task = task;
    this.request = request;
    this.configuredPartSize = configuredPartSize;
  }

  /** The source's size, metadata and version; fails with 412 if the guard's ETag no longer matches. */
  CompletableFuture<HeadObjectResponse> sourceHead(S3AsyncClient s3) {
    return s3.headObject(HeadObjectRequest.builder()
        .bucket(request.sourceBucket())
        .key(request.sourceKey())
        .versionId(request.sourceVersionId())
        .ifMatch(request.copySourceIfMatch())
        .requestPayer(request.requestPayerAsString())
        .build());
  }

  CompletableFuture<OperationResult> copy(HeadObjectResponse source, S3AsyncClient s3) {
    TaskFailure unmet = unmetTimeConstraint(source.lastModified());
    if (unmet != null) {
      return CompletableFuture.failedFuture(unmet);
    }
    return sourceTagging(source, s3)
        .thenCompose(tagging -> s3.createMultipartUpload(createRequest(source, tagging)))
        .thenCompose(upload -> copyParts(upload.uploadId(), source, s3)
            .thenCompose(parts -> complete(upload.uploadId(), parts, s3))
            .exceptionallyCompose(failure -> abort(upload.uploadId(), failure, s3)))
        .thenApply(done -> S3PutObjectCopy.resultOf(request, done.eTag(), done.versionId()));
  }

  /**
   * CopyObject checks the copy-source time conditions itself; here the HEAD's answer is checked
   * first (so the task fails as a CopyObject would, with 412), and every part checks again.
   */
  private TaskFailure unmetTimeConstraint(Instant lastModified) {
    Instant modifiedSince = request.copySourceIfModifiedSince();
    Instant unmodifiedSince = request.copySourceIfUnmodifiedSince();
    if (modifiedSince != null && !lastModified.isAfter(modifiedSince)) {
      return TaskFailure.permanent(TaskError.PRECONDITION_FAILED, 412, "The source was last "
          + "modified at " + lastModified + ", not after ModifiedSinceConstraint " + modifiedSince
          + "; it was not copied");
    }
    if (unmodifiedSince != null && lastModified.isAfter(unmodifiedSince)) {
      return TaskFailure.permanent(TaskError.PRECONDITION_FAILED, 412, "The source was modified "
          + "at " + lastModified + ", after UnModifiedSinceConstraint " + unmodifiedSince
          + "; it was not copied");
    }
    return null;
  }

  /** The tags of the new object: the job's under REPLACE, else the source's (fetched only if any). */
  private CompletableFuture<Tagging> sourceTagging(HeadObjectResponse source, S3AsyncClient s3) {
    if (request.taggingDirective() == TaggingDirective.REPLACE) {
      return CompletableFuture.completedFuture(null);
    }
    if (source.tagCount() != null && source.tagCount() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return s3.getObjectTagging(GetObjectTaggingRequest.builder()
            .bucket(request.sourceBucket())
            .key(request.sourceKey())
            .versionId(pinnedVersion(source))
            .requestPayer(request.requestPayerAsString())
            .build())
        .thenApply(r -> r.tagSet().isEmpty() ? null : Tagging.builder().tagSet(r.tagSet()).build());
  }

  private CreateMultipartUploadRequest createRequest(HeadObjectResponse source,
      Tagging sourceTags) {
    CreateMultipartUploadRequest.Builder b = CreateMultipartUploadRequest.builder()
        .bucket(request.destinationBucket())
        .key(request.destinationKey())
        .storageClass(request.storageClassAsString())
        .websiteRedirectLocation(request.websiteRedirectLocation())
        .checksumAlgorithm(request.checksumAlgorithmAsString())
        .requestPayer(request.requestPayerAsString())
        .serverSideEncryption(request.serverSideEncryptionAsString())
        .ssekmsKeyId(request.ssekmsKeyId())
        .bucketKeyEnabled(request.bucketKeyEnabled())
        .acl(request.aclAsString())
        .grantFullControl(request.grantFullControl())
        .grantRead(request.grantRead())
        .grantReadACP(request.grantReadACP())
        .grantWriteACP(request.grantWriteACP())
        .objectLockMode(request.objectLockModeAsString())
        .objectLockRetainUntilDate(request.objectLockRetainUntilDate())
        .objectLockLegalHoldStatus(request.objectLockLegalHoldStatusAsString());
    if (sourceTags != null) {
      b.tagging(sourceTags);
    } else if (request.taggingDirective() == TaggingDirective.REPLACE) {
      b.tagging(request.tagging());
    }
    if (request.metadataDirective() == MetadataDirective.REPLACE) {
      b.cacheControl(request.cacheControl())
          .contentDisposition(request.contentDisposition())
          .contentEncoding(request.contentEncoding())
          .contentLanguage(request.contentLanguage())
          .contentType(request.contentType())
          .expires(request.expires())
          .metadata(request.metadata());
    } else {
      b.cacheControl(source.cacheControl())
          .contentDisposition(source.contentDisposition())
          .contentEncoding(source.contentEncoding())
          .contentLanguage(source.contentLanguage())
          .contentType(source.contentType())
          .expires(expiresOf(source))
          .metadata(source.metadata());
    }
    return b.build();
  }

  private CompletableFuture<CompletedPart[]> copyParts(String uploadId, HeadObjectResponse source,
      S3AsyncClient s3) {
    long size = source.contentLength();
    long partSize = partSizeFor(size);
    int count = (int) ((size + partSize - 1) / partSize);
    PartCopies parts = new PartCopies(uploadId, source, size, partSize, count, s3);
    CompletableFuture<?>[] lanes = IntStream.range(0, Math.min(PARTS_IN_FLIGHT, count))
        .mapToObj(parts::copyFrom)
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(lanes).thenApply(ignored -> parts.completed());
  }

  /** The configured size, made larger when 10,000 parts would not hold the object. */
  long partSizeFor(long size) {
    long fewestParts = (size + MAX_PARTS - 1) / MAX_PARTS;
    return Math.min(MAX_PART_SIZE, Math.max(configuredPartSize, fewestParts));
  }

  /** The parts of one upload, copied by a few lanes; lane i copies parts i, i + lanes, ... */
  private final class PartCopies {
    private final String uploadId;
    private final String sourceVersion;
    private final String sourceEtag;
    private final long size;
    private final long partSize;
    private final int lanes;
    private final AtomicReferenceArray<CompletedPart> done;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final S3AsyncClient s3;

    PartCopies(String uploadId, HeadObjectResponse source, long size, long partSize, int count,
        S3AsyncClient s3) {
      this.uploadId = uploadId;
      this.sourceVersion = pinnedVersion(source);
      this.sourceEtag = request.copySourceIfMatch() != null ? request.copySourceIfMatch()
          : source.eTag();
      this.size = size;
      this.partSize = partSize;
      this.lanes = Math.min(PARTS_IN_FLIGHT, count);
      this.done = new AtomicReferenceArray<>(count);
      this.s3 = s3;
    }

    /** Copies part {@code index}, then the next part of its lane; stops once any part failed. */
    CompletableFuture<Void> copyFrom(int index) {
      if (index >= done.length() || failed.get()) {
        return CompletableFuture.completedFuture(null);
      }
      return s3.uploadPartCopy(partRequest(index))
          .whenComplete((r, failure) -> {
            if (failure != null) {
              failed.set(true);
            }
          })
          .thenCompose(r -> {
            done.set(index, completedPart(index + 1, r.copyPartResult()));
            return copyFrom(index + lanes);
          });
    }

    CompletedPart[] completed() {
      return IntStream.range(0, done.length()).mapToObj(done::get).toArray(CompletedPart[]::new);
    }

    private UploadPartCopyRequest partRequest(int index) {
      long first = index * partSize;
      long last = Math.min(size, first + partSize) - 1;
      return UploadPartCopyRequest.builder()
          .sourceBucket(request.sourceBucket())
          .sourceKey(request.sourceKey())
          .sourceVersionId(sourceVersion)
          .destinationBucket(request.destinationBucket())
          .destinationKey(request.destinationKey())
          .uploadId(uploadId)
          .partNumber(index + 1)
          .copySourceRange("bytes=" + first + "-" + last)
          .copySourceIfMatch(sourceEtag)
          .copySourceIfModifiedSince(request.copySourceIfModifiedSince())
          .copySourceIfUnmodifiedSince(request.copySourceIfUnmodifiedSince())
          .requestPayer(request.requestPayerAsString())
          // S3 wants Content-MD5 on the parts of an upload with Object Lock parameters; the
          // CopyObject request carries the (constant) MD5 of its empty body for the same reason.
          .overrideConfiguration(request.overrideConfiguration().orElse(null))
          .build();
    }
  }

  private static CompletedPart completedPart(int partNumber, CopyPartResult r) {
    return CompletedPart.builder()
        .partNumber(partNumber)
        .eTag(r.eTag())
        .checksumCRC32(r.checksumCRC32())
        .checksumCRC32C(r.checksumCRC32C())
        .checksumCRC64NVME(r.checksumCRC64NVME())
        .checksumSHA1(r.checksumSHA1())
        .checksumSHA256(r.checksumSHA256())
        .build();
  }

  private CompletableFuture<CompleteMultipartUploadResponse> complete(String uploadId,
      CompletedPart[] parts, S3AsyncClient s3) {
    return s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
        .bucket(request.destinationBucket())
        .key(request.destinationKey())
        .uploadId(uploadId)
        .multipartUpload(u -> u.parts(parts))
        .requestPayer(request.requestPayerAsString())
        .build());
  }

  /**
   * Aborts the upload (so its parts stop costing storage) and fails with the original error.
   * A change of an unguarded source during the copy is worth another attempt: the next one
   * copies the new object whole.
   */
  private CompletableFuture<CompleteMultipartUploadResponse> abort(String uploadId,
      Throwable failure, S3AsyncClient s3) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    Throwable reported = !task.guarded() && cause instanceof S3Exception e && e.statusCode() == 412
        ? new TaskFailure("SourceChangedDuringCopy", 412, "The source changed while it was "
            + "copied in parts; the incomplete copy was discarded", true)
        : cause;
    return s3.abortMultipartUpload(AbortMultipartUploadRequest.builder()
            .bucket(request.destinationBucket())
            .key(request.destinationKey())
            .uploadId(uploadId)
            .requestPayer(request.requestPayerAsString())
            .build())
        .handle((aborted, abortFailure) -> {
          if (abortFailure != null) {
            reported.addSuppressed(abortFailure);
          }
          throw new CompletionException(reported);
        });
  }

  /**
   * The source's Expires header as a date. CreateMultipartUpload takes only a date, so an
   * Expires value that is not an HTTP date (S3 stores any string) cannot be carried over.
   */
  private static Instant expiresOf(HeadObjectResponse source) {
    if (source.expiresString() == null) {
      return null;
    }
    try {
      return DateUtils.parseRfc822Date(source.expiresString());
    } catch (RuntimeException notAnHttpDate) {
      return null;
    }
  }

  /** The task's version, else the version the HEAD saw (none on an unversioned bucket). */
  private String pinnedVersion(HeadObjectResponse source) {
    if (request.sourceVersionId() != null) {
      return request.sourceVersionId();
    }
    String seen = source.versionId();
    return seen == null || seen.equals("null") ? null : seen;
  }
}
