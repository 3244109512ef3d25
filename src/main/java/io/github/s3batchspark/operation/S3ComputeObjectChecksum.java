package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.job.spec.S3ComputeObjectChecksumOperation;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Computes a checksum of each object's content (S3ComputeObjectChecksum) by streaming it
 * through the executor: buffers are hashed as they arrive and dropped, so memory does not grow
 * with the object. The value, base64 as S3 shows checksums, goes into the result message.
 *
 * <p>FULL_OBJECT hashes the whole content in one GET. COMPOSITE hashes each part of a multipart
 * object (GET by part number) and then the concatenation of the part checksums, written
 * {@code value-N} for N parts as S3 writes composite checksums; an object uploaded in one part
 * has one part, and its composite checksum is its full-object checksum.
 *
 * <p>Every GET carries {@code If-Match}: the task's ETag when the manifest gave one (the guard),
 * else, for the parts of a composite checksum, the ETag the first HEAD saw, so that an object
 * overwritten in the middle fails the task (412) instead of mixing two objects' parts.
 */
public final class S3ComputeObjectChecksum implements ObjectOperation {
  private static final String FIELD = "Operation.S3ComputeObjectChecksum";

  private final String algorithm;
  private final boolean composite;

  public S3ComputeObjectChecksum(S3ComputeObjectChecksumOperation spec) {
    Objects.requireNonNull(spec, "S3ComputeObjectChecksum");
    this.algorithm = SpecField.oneOf(FIELD + ".ChecksumAlgorithm",
        SpecField.required(FIELD + ".ChecksumAlgorithm", spec.checksumAlgorithm()),
        Set.copyOf(StreamingChecksum.ALGORITHMS));
    String type = SpecField.oneOf(FIELD + ".ChecksumType", spec.checksumType(),
        Set.of("FULL_OBJECT", "COMPOSITE"));
    this.composite = "COMPOSITE".equals(type);
  }

  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(objects.onObjects("ReadObjectsToChecksumThem", "s3:GetObject",
        "s3:GetObjectVersion"));
  }

  @Override
  public String name() {
    return "S3ComputeObjectChecksum";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    if (!composite) {
      return checksumOf(task, null, task.quotedEtag(), clients.s3())
          .thenApply(value -> result(encode(value)));
    }
    // The object's own ETag and version first. HEADs by part number carry no If-Match (some
    // stores compare it with the part's ETag); the range GETs carry it, so a change still fails.
    S3AsyncClient s3 = clients.s3();
    return s3.headObject(HeadObjectRequest.builder()
            .bucket(task.bucket()).key(task.key()).versionId(task.versionId())
            .ifMatch(task.quotedEtag()).build())
        .thenCompose(object -> s3.headObject(HeadObjectRequest.builder()
                .bucket(task.bucket()).key(task.key()).versionId(object.versionId())
                .partNumber(1).build())
            .thenCompose(first -> compositeOf(task, object, partsOf(first), s3)));
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would compute the " + typeName() + " " + algorithm + " checksum of "
        + Describe.object(task);
  }

  private static int partsOf(HeadObjectResponse firstPart) {
    return firstPart.partsCount() == null ? 1 : firstPart.partsCount();
  }

  private CompletableFuture<OperationResult> compositeOf(ObjectTask task, HeadObjectResponse head,
      int parts, S3AsyncClient s3) {
    String version = task.versionId() != null ? task.versionId() : head.versionId();
    if (parts == 1) {
      return checksumOf(task, version, head.eTag(), s3).thenApply(v -> result(encode(v)));
    }
    StreamingChecksum ofParts = StreamingChecksum.of(algorithm);
    long[] offset = {0};
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (int part = 1; part <= parts; part++) {
      int n = part;
      // one part at a time: a task never holds more than one part's stream open
      chain = chain.thenCompose(x -> partChecksum(task, version, head.eTag(), n, offset, s3))
          .thenAccept(value -> ofParts.update(ByteBuffer.wrap(value)));
    }
    return chain.thenApply(x -> result(encode(ofParts.value()) + "-" + parts));
  }

  /**
   * A part's checksum: its length from a HEAD by part number, then its bytes by range (stores
   * that serve GET by part number are rarer than those that serve ranges).
   */
  private CompletableFuture<byte[]> partChecksum(ObjectTask task, String version, String etag,
      int part, long[] offset, S3AsyncClient s3) {
    return s3.headObject(HeadObjectRequest.builder().bucket(task.bucket()).key(task.key())
            .versionId(version).partNumber(part).build())
        .thenCompose(head -> {
          long from = offset[0];
          offset[0] += head.contentLength();
          return stream(GetObjectRequest.builder().bucket(task.bucket()).key(task.key())
              .versionId(version).ifMatch(etag)
              .range("bytes=" + from + "-" + (offset[0] - 1)).build(), s3);
        });
  }

  private CompletableFuture<byte[]> checksumOf(ObjectTask task, String version, String etag,
      S3AsyncClient s3) {
    return stream(GetObjectRequest.builder().bucket(task.bucket()).key(task.key())
        .versionId(version != null ? version : task.versionId()).ifMatch(etag).build(), s3);
  }

  /** Hashes the body as it streams (see {@link BodyChecksum}). */
  private CompletableFuture<byte[]> stream(GetObjectRequest get, S3AsyncClient s3) {
    return s3.getObject(get, new BodyChecksum(algorithm));
  }

  private OperationResult result(String value) {
    return OperationResult.ok(algorithm + " " + typeName() + " " + value);
  }

  private String typeName() {
    return composite ? "COMPOSITE" : "FULL_OBJECT";
  }

  private static String encode(byte[] value) {
    return Base64.getEncoder().encodeToString(value);
  }
}
