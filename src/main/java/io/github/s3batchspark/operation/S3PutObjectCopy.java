package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.job.spec.S3CopyObjectOperation;
import io.github.s3batchspark.job.spec.S3Grant;
import io.github.s3batchspark.job.spec.S3ObjectMetadata;
import io.github.s3batchspark.job.spec.S3Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Copies each object to {@code TargetResource} under {@code TargetKeyPrefix + key}
 * (S3PutObjectCopy), with every setting of the job's {@link S3CopyObjectOperation} passed to
 * CopyObject as S3 Batch Operations does.
 *
 * <p>Objects up to the multipart threshold are copied by one CopyObject request, with no HEAD
 * first. Larger ones (and any object over S3's 5 GiB CopyObject limit) are copied in parts by
 * {@link MultipartCopy}, which gives the new object what a single CopyObject would have given
 * it: the source's metadata and tags under the COPY directives, and the job's settings.
 *
 * <p>The ETag guard is the store's own: {@code x-amz-copy-source-if-match} on the CopyObject
 * (and on every UploadPartCopy), so an object changed after the manifest was made is refused
 * atomically with 412 and nothing is written at the target.
 *
 * <p>A job spec that S3 would refuse for every object is refused here, when the operation is
 * built, with a message naming the field. {@code NewObjectMetadata.ContentLength},
 * {@code ContentMD5} and {@code RequesterCharged} are accepted and have no effect: they are
 * deprecated in the s3control model and CopyObject has no header for them (a copy always has
 * the source's length and content).
 */
public final class S3PutObjectCopy implements ObjectOperation {
  /** A general purpose bucket (arn:aws:s3:::name) or a directory bucket (s3express). */
  private static final Pattern BUCKET_ARN = Pattern.compile(
      "arn:[^:]+:s3:::([^/:]+)|arn:[^:]+:s3express:[^:]*:[^:]*:bucket/([^/:]+)");
  private static final Set<String> CANNED_ACLS = Set.of("private", "public-read",
      "public-read-write", "aws-exec-read", "authenticated-read", "bucket-owner-read",
      "bucket-owner-full-control");
  private static final Set<String> GRANTABLE = Set.of("FULL_CONTROL", "READ", "READ_ACP",
      "WRITE_ACP");
  private static final Map<String, String> GRANTEE_HEADER_TYPES =
      Map.of("id", "id", "emailaddress", "emailAddress", "uri", "uri");
  private static final String USER_METADATA_PREFIX = "x-amz-meta-";
  private static final String EMPTY_BODY_MD5 = "1B2M2Y8AsgTpgAmY7PhCfg==";

  private final S3CopyObjectOperation spec;
  private final String targetBucket;
  private final MetadataDirective metadataDirective;

  public S3PutObjectCopy(S3CopyObjectOperation spec) {
    this.spec = Objects.requireNonNull(spec, "S3PutObjectCopy");
    this.targetBucket = bucketOf(spec.targetResource());
    this.metadataDirective = metadataDirective(spec);
    checkEnum("StorageClass", spec.storageClass(), Set.of("STANDARD", "STANDARD_IA",
        "ONEZONE_IA", "GLACIER", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"));
    checkEnum("CannedAccessControlList", spec.cannedAccessControlList(), CANNED_ACLS);
    checkEnum("ObjectLockMode", spec.objectLockMode(), Set.of("GOVERNANCE", "COMPLIANCE"));
    checkEnum("ObjectLockLegalHoldStatus", spec.objectLockLegalHoldStatus(), Set.of("ON", "OFF"));
    checkGrants(spec.accessControlGrants());
    checkEncryption(spec);
  }

  /**
   * Reading the sources (their tags too: CopyObject copies them), writing the targets with the
   * job's ACL, Object Lock and KMS settings, and ListBucket on both so that a missing object is
   * answered 404, not 403 (Amazon's template for copy jobs lists it too).
   */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    String prefix = spec.targetKeyPrefix() == null ? "" : spec.targetKeyPrefix();
    List<String> targets = List.of(spec.targetResource() + "/" + prefix + "*");
    List<String> writes = new ArrayList<>(List.of("s3:PutObject",
        "s3:PutObjectTagging", "s3:AbortMultipartUpload"));
    if (spec.cannedAccessControlList() != null || spec.accessControlGrants() != null) {
      writes.add("s3:PutObjectAcl");
    }
    if (spec.objectLockMode() != null || spec.objectLockRetainUntilDate() != null) {
      writes.add("s3:PutObjectRetention");
    }
    if (spec.objectLockLegalHoldStatus() != null) {
      writes.add("s3:PutObjectLegalHold");
    }
    List<PolicyStatement> statements = new ArrayList<>(List.of(
        objects.onObjects("ReadSourceObjects", "s3:GetObject", "s3:GetObjectVersion",
            "s3:GetObjectTagging", "s3:GetObjectVersionTagging"),
        objects.onBuckets("ListSourceBuckets", "s3:ListBucket"),
        new PolicyStatement("WriteCopiesToTheTarget", writes, targets),
        PolicyStatement.allow("ListTheTargetBucket", List.of(spec.targetResource()),
            "s3:ListBucket")));
    if (spec.targetResource().contains(":s3express:")) {
      statements.add(PolicyStatement.allow("OpenSessionsOnTheTargetDirectoryBucket",
          List.of(spec.targetResource()), "s3express:CreateSession"));
    }
    if (spec.sseAwsKmsKeyId() != null) {
      statements.add(kmsKey(spec.sseAwsKmsKeyId()));
    }
    return statements;
  }

  /** IAM matches a key's ARN, never its alias: an alias leaves the account's keys to narrow. */
  private static PolicyStatement kmsKey(String key) {
    if (key.startsWith("arn:") && key.contains(":key/")) {
      return PolicyStatement.allow("EncryptCopiesWithTheJobsKmsKey", List.of(key),
          "kms:Decrypt", "kms:GenerateDataKey");
    }
    String resource = key.startsWith("alias/") || key.contains(":alias/")
        ? "arn:aws:kms:*:*:key/*" : "arn:aws:kms:*:*:key/" + key;
    return PolicyStatement.allow(resource.endsWith("/*")
            ? "EncryptCopiesWithAnyKmsKeyNarrowToTheAliasedKey" : "EncryptCopiesWithTheJobsKmsKey",
        List.of(resource), "kms:Decrypt", "kms:GenerateDataKey");
  }

  @Override
  public String name() {
    return "S3PutObjectCopy";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    CopyObjectRequest request = copyRequest(task);
    ClientSettings settings = clients.settings();
    MultipartCopy inParts = new MultipartCopy(task, request, settings.multipartPartSize());
    if (settings.multipartThreshold() >= ClientSettings.MAX_SINGLE_COPY) {
      // The usual case: no HEAD. Only an object too large for CopyObject costs a second try.
      return copyInOneRequest(request, clients.s3())
          .exceptionallyCompose(failure -> copyInPartsIfTooLarge(failure, inParts, clients));
    }
    // A threshold below 5 GiB asks for parts above it, so the size has to be known first.
    return inParts.sourceHead(clients.s3()).thenCompose(head ->
        head.contentLength() > settings.multipartThreshold()
            ? inParts.copy(head, clients.s3())
            : copyInOneRequest(request, clients.s3()));
  }

  /** The destination key: the prefix is prepended as is, as S3 Batch Operations does. */
  String targetKey(String sourceKey) {
    return spec.targetKeyPrefix() == null ? sourceKey : spec.targetKeyPrefix() + sourceKey;
  }

  private CompletableFuture<OperationResult> copyInOneRequest(CopyObjectRequest request,
      S3AsyncClient s3) {
    return s3.copyObject(request).thenApply(r -> resultOf(request, r.copyObjectResult().eTag(),
        r.versionId()));
  }

  /**
   * CopyObject refuses a source over 5 GiB with 400 InvalidRequest; only then is the source's
   * size asked for, and the copy made in parts. Any other failure is the task's failure.
   */
  private CompletableFuture<OperationResult> copyInPartsIfTooLarge(Throwable failure,
      MultipartCopy inParts, ExecutorClients clients) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (!(cause instanceof S3Exception e) || e.statusCode() != 400
        || e.awsErrorDetails() == null || !"InvalidRequest".equals(e.awsErrorDetails().errorCode())) {
      return CompletableFuture.failedFuture(cause);
    }
    return inParts.sourceHead(clients.s3()).thenCompose(head ->
        head.contentLength() > ClientSettings.MAX_SINGLE_COPY
            ? inParts.copy(head, clients.s3())
            : CompletableFuture.failedFuture(cause));
  }

  static OperationResult resultOf(CopyObjectRequest request, String etag, String versionId) {
    String message = "Copied to s3://" + request.destinationBucket() + "/"
        + request.destinationKey() + " ETag " + etag
        + (versionId == null ? "" : " VersionId " + versionId);
    return OperationResult.ok(message);
  }

  /** The CopyObject request for one task: the whole job spec, plus the task's source and guard. */
  CopyObjectRequest copyRequest(ObjectTask task) {
    CopyObjectRequest.Builder b = CopyObjectRequest.builder()
        .sourceBucket(task.bucket())
        .sourceKey(task.key())
        .sourceVersionId(task.versionId())
        .destinationBucket(targetBucket)
        .destinationKey(targetKey(task.key()))
        .copySourceIfMatch(task.quotedEtag())
        .copySourceIfModifiedSince(spec.modifiedSinceConstraint())
        .copySourceIfUnmodifiedSince(spec.unModifiedSinceConstraint())
        .storageClass(spec.storageClass())
        .websiteRedirectLocation(spec.redirectLocation())
        .checksumAlgorithm(spec.checksumAlgorithm())
        .requestPayer(Boolean.TRUE.equals(spec.requesterPays()) ? "requester" : null);
    metadata(b);
    tagging(b);
    encryption(b);
    accessControl(b);
    objectLock(b);
    return b.build();
  }

  private void metadata(CopyObjectRequest.Builder b) {
    b.metadataDirective(metadataDirective);
    S3ObjectMetadata m = spec.newObjectMetadata();
    if (metadataDirective != MetadataDirective.REPLACE || m == null) {
      // Under COPY, S3 ignores metadata headers; not sending them keeps the request honest.
      return;
    }
    b.cacheControl(m.cacheControl())
        .contentDisposition(m.contentDisposition())
        .contentEncoding(m.contentEncoding())
        .contentLanguage(m.contentLanguage())
        .contentType(m.contentType())
        .expires(m.httpExpiresDate())
        .metadata(userMetadata(m.userMetadata()));
  }

  /**
   * User metadata names as the SDK wants them: without {@code x-amz-meta-}, which the SDK adds.
   * Job specs written for the console carry the prefix, API ones do not; both mean the same.
   */
  private static Map<String, String> userMetadata(Map<String, String> given) {
    if (given == null) {
      return null;
    }
    Map<String, String> names = new LinkedHashMap<>();
    given.forEach((name, value) -> names.put(
        name.toLowerCase(Locale.ROOT).startsWith(USER_METADATA_PREFIX)
            ? name.substring(USER_METADATA_PREFIX.length()) : name, value));
    return names;
  }

  /** NewObjectTagging replaces the tags (an empty list leaves none); without it they are copied. */
  private void tagging(CopyObjectRequest.Builder b) {
    List<S3Tag> tags = spec.newObjectTagging();
    if (tags == null) {
      b.taggingDirective(TaggingDirective.COPY);
      return;
    }
    b.taggingDirective(TaggingDirective.REPLACE).tagging(Tagging.builder()
        .tagSet(tags.stream().map(t -> Tag.builder().key(t.key()).value(t.value()).build())
            .toList())
        .build());
  }

  private void encryption(CopyObjectRequest.Builder b) {
    b.serverSideEncryption(serverSideEncryption(spec))
        .ssekmsKeyId(spec.sseAwsKmsKeyId())
        .bucketKeyEnabled(spec.bucketKeyEnabled());
  }

  private void accessControl(CopyObjectRequest.Builder b) {
    b.acl(spec.cannedAccessControlList())
        .grantFullControl(granteesWith("FULL_CONTROL"))
        .grantRead(granteesWith("READ"))
        .grantReadACP(granteesWith("READ_ACP"))
        .grantWriteACP(granteesWith("WRITE_ACP"));
  }

  /**
   * Stores demand Content-MD5 (or a checksum) on writes that set Object Lock retention or a legal
   * hold, and some (moto) apply that to CopyObject too. A copy's request body is empty, so its
   * MD5 is a constant that any store accepts.
   */
  private void objectLock(CopyObjectRequest.Builder b) {
    b.objectLockMode(spec.objectLockMode())
        .objectLockRetainUntilDate(spec.objectLockRetainUntilDate())
        .objectLockLegalHoldStatus(spec.objectLockLegalHoldStatus());
    if (spec.objectLockMode() != null || spec.objectLockRetainUntilDate() != null
        || "ON".equals(spec.objectLockLegalHoldStatus())) {
      b.overrideConfiguration(o -> o.putHeader("Content-MD5", EMPTY_BODY_MD5));
    }
  }

  /** The value of one x-amz-grant-* header: {@code id="..", emailAddress="..", uri=".."}. */
  private String granteesWith(String permission) {
    if (spec.accessControlGrants() == null) {
      return null;
    }
    String grantees = spec.accessControlGrants().stream()
        .filter(g -> permission.equals(g.permission()))
        .map(g -> GRANTEE_HEADER_TYPES.get(g.grantee().typeIdentifier().toLowerCase(Locale.ROOT))
            + "=\"" + g.grantee().identifier() + "\"")
        .collect(Collectors.joining(", "));
    return grantees.isEmpty() ? null : grantees;
  }

  /**
   * S3 copies metadata unless told to replace it. When the spec gives NewObjectMetadata without
   * a directive, the metadata is meant to be set ("if you don't provide this parameter, Amazon
   * S3 copies all the metadata"), so REPLACE is implied.
   */
  private static MetadataDirective metadataDirective(S3CopyObjectOperation spec) {
    if (spec.metadataDirective() != null) {
      checkEnum("MetadataDirective", spec.metadataDirective(), Set.of("COPY", "REPLACE"));
      return MetadataDirective.fromValue(spec.metadataDirective());
    }
    return setsMetadata(spec.newObjectMetadata()) ? MetadataDirective.REPLACE
        : MetadataDirective.COPY;
  }

  private static boolean setsMetadata(S3ObjectMetadata m) {
    return m != null && (m.cacheControl() != null || m.contentDisposition() != null
        || m.contentEncoding() != null || m.contentLanguage() != null || m.contentType() != null
        || m.httpExpiresDate() != null || m.userMetadata() != null);
  }

  /** AES256 is SSE-S3; KMS, or a KMS key without an algorithm, is SSE-KMS. */
  private static ServerSideEncryption serverSideEncryption(S3CopyObjectOperation spec) {
    String algorithm = spec.newObjectMetadata() == null ? null
        : spec.newObjectMetadata().sseAlgorithm();
    if ("AES256".equals(algorithm)) {
      return ServerSideEncryption.AES256;
    }
    if ("KMS".equals(algorithm) || spec.sseAwsKmsKeyId() != null) {
      return ServerSideEncryption.AWS_KMS;
    }
    return null;
  }

  private static String bucketOf(String targetResource) {
    if (targetResource == null) {
      throw new IllegalArgumentException("S3PutObjectCopy.TargetResource is required: the ARN "
          + "of the destination bucket, for example arn:aws:s3:::destination-bucket");
    }
    Matcher m = BUCKET_ARN.matcher(targetResource);
    if (!m.matches()) {
      throw new IllegalArgumentException("S3PutObjectCopy.TargetResource must be a bucket ARN "
          + "such as arn:aws:s3:::destination-bucket, got " + targetResource);
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  private static void checkGrants(List<S3Grant> grants) {
    if (grants == null) {
      return;
    }
    for (S3Grant g : grants) {
      if (g == null || g.grantee() == null || g.grantee().identifier() == null
          || g.grantee().typeIdentifier() == null) {
        throw new IllegalArgumentException("S3PutObjectCopy.AccessControlGrants: every grant "
            + "needs a Grantee with TypeIdentifier (id, emailAddress or uri) and Identifier, got "
            + g);
      }
      if (!GRANTEE_HEADER_TYPES.containsKey(g.grantee().typeIdentifier().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("S3PutObjectCopy.AccessControlGrants: Grantee "
            + "TypeIdentifier must be id, emailAddress or uri, got " + g.grantee().typeIdentifier());
      }
      if (!GRANTABLE.contains(g.permission())) {
        throw new IllegalArgumentException("S3PutObjectCopy.AccessControlGrants: Permission "
            + g.permission() + " cannot be given on a copied object (CopyObject has headers for "
            + "FULL_CONTROL, READ, READ_ACP and WRITE_ACP only)");
      }
    }
  }

  private static void checkEncryption(S3CopyObjectOperation spec) {
    String algorithm = spec.newObjectMetadata() == null ? null
        : spec.newObjectMetadata().sseAlgorithm();
    checkEnum("NewObjectMetadata.SSEAlgorithm", algorithm, Set.of("AES256", "KMS"));
    if ("AES256".equals(algorithm) && spec.sseAwsKmsKeyId() != null) {
      throw new IllegalArgumentException("S3PutObjectCopy.SSEAwsKmsKeyId is set but "
          + "NewObjectMetadata.SSEAlgorithm is AES256 (SSE-S3 uses no KMS key): use KMS, or drop "
          + "the key");
    }
  }

  private static void checkEnum(String field, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw new IllegalArgumentException("S3PutObjectCopy." + field + " must be one of "
          + allowed.stream().sorted().toList() + ", got " + value);
    }
  }
}
