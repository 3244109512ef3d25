package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dynatrace.hash4j.hashing.Hashing;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3ComputeObjectChecksumOperation;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * S3ComputeObjectChecksum through the real runner, against published check values.
 *
 * <p>Full-object checksums and the guard on S3Mock, which honours {@code If-Match} on GET.
 * Composite checksums on moto, the server that answers HEAD by part number with the part's
 * length and the object's part count (S3Mock answers with the whole object).
 */
class S3ComputeObjectChecksumTest {
  private static final String CHECK = "123456789";

  private final LocalS3Server s3mock = LocalS3Server.s3mock();
  private final S3Client mockS3 = s3mock.client();
  private final ExecutorClients mockClients = ExecutorClients.get(s3mock.clientSettings());

  @Test
  void everyAlgorithmGivesItsPublishedCheckValue() throws Exception {
    String bucket = Buckets.create(mockS3, "sum");
    Buckets.put(mockS3, bucket, "check", CHECK);
    Buckets.put(mockS3, bucket, "empty", "");
    Map<String, String> checkHex = Map.of(
        "CRC32", "cbf43926",
        "CRC32C", "e3069283",
        "CRC64NVME", "ae8b14860a799888",
        "MD5", "25f9e794323b453885f5181f1b624d0b",
        "SHA1", "f7c3bc1d808e04732adf679965ccc34ca7ae3441",
        "SHA256", "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
        "SHA512", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512")
            .digest(CHECK.getBytes())));
    // the xxHash reference values of empty input, from the xxHash specification's test suite
    Map<String, String> emptyHex = Map.of(
        "XXHASH64", "ef46db3751d8e999",
        "XXHASH3", "2d06800538d394c2",
        "XXHASH128", "99aa06d3014798d86001c324468d497f");

    checkHex.forEach((algorithm, hex) ->
        assertEquals(algorithm + " FULL_OBJECT " + base64(hex),
            checksum(algorithm, "FULL_OBJECT", bucket, "check"), algorithm));
    emptyHex.forEach((algorithm, hex) ->
        assertEquals(algorithm + " FULL_OBJECT " + base64(hex),
            checksum(algorithm, "FULL_OBJECT", bucket, "empty"), algorithm));
  }

  /** Several MiB arrive in many buffers: the streamed value equals the one-shot one. */
  @Test
  void largeObjectIsHashedAsItStreams() throws Exception {
    String bucket = Buckets.create(mockS3, "sum");
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(body);
    mockS3.putObject(b -> b.bucket(bucket).key("big"), RequestBody.fromBytes(body));

    assertEquals("XXHASH3 FULL_OBJECT " + base64(Hashing.xxh3_64().hashBytesToLong(body)),
        checksum("XXHASH3", "FULL_OBJECT", bucket, "big"));
    assertEquals("XXHASH64 FULL_OBJECT " + base64(XXHashFactory.fastestJavaInstance().hash64()
        .hash(body, 0, body.length, 0L)), checksum("XXHASH64", "FULL_OBJECT", bucket, "big"));
    CRC32C crc32c = new CRC32C();
    crc32c.update(body);
    assertEquals("CRC32C FULL_OBJECT " + base64(String.format("%08x", crc32c.getValue())),
        checksum("CRC32C", "FULL_OBJECT", bucket, "big"));
    assertEquals("SHA256 FULL_OBJECT " + Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(body)),
        checksum("SHA256", "FULL_OBJECT", bucket, "big"));
  }

  @Test
  void checksumOfChangedObjectIsRefusedByEtagGuard() {
    String bucket = Buckets.create(mockS3, "sum");
    String oldEtag = Buckets.put(mockS3, bucket, "doc", "first");
    Buckets.put(mockS3, bucket, "doc", "second");

    TaskResult r = runOne(operation("SHA256", "FULL_OBJECT"), mockClients,
        new ObjectTask(1, bucket, "doc", null, oldEtag));

    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
  }

  @Test
  void missingObjectIsAFailedTask() {
    String bucket = Buckets.create(mockS3, "sum");

    TaskResult r = runOne(operation("CRC32", "FULL_OBJECT"), mockClients,
        new ObjectTask(1, bucket, "gone", null, null));

    assertEquals("NoSuchKey", r.errorCode());
    assertEquals(404, r.httpStatusCode());
  }

  /** An MD5 composite of a multipart object is what S3 puts in a multipart ETag. */
  @Test
  void compositeChecksumHashesThePartChecksums() throws Exception {
    LocalS3Server moto = LocalS3Server.moto();
    S3Client s3 = moto.client();
    String bucket = Buckets.create(s3, "sum");
    byte[] part1 = new byte[5 * 1024 * 1024];
    byte[] part2 = "the last part".getBytes();
    new Random(3).nextBytes(part1);
    String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
    List<CompletedPart> parts = List.of(
        uploadPart(s3, bucket, upload, 1, part1), uploadPart(s3, bucket, upload, 2, part2));
    s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(upload)
        .multipartUpload(m -> m.parts(parts)));
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    var partDigests = new ByteArrayOutputStream();
    partDigests.write(md5.digest(part1));
    partDigests.write(md5.digest(part2));

    TaskResult r = runOne(operation("MD5", "COMPOSITE"), ExecutorClients.get(
        moto.clientSettings()), new ObjectTask(1, bucket, "mp", null, null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals("MD5 COMPOSITE " + Base64.getEncoder().encodeToString(
        md5.digest(partDigests.toByteArray())) + "-2", r.resultMessage());
  }

  @Test
  void compositeChecksumOfASinglePartObjectIsItsFullObjectChecksum() {
    String bucket = Buckets.create(mockS3, "sum");
    Buckets.put(mockS3, bucket, "check", CHECK);

    assertEquals("CRC32C COMPOSITE " + base64("e3069283"),
        checksum("CRC32C", "COMPOSITE", bucket, "check"));
  }

  @Test
  void unknownAlgorithmIsRefusedNamingTheField() {
    var e = assertThrows(IllegalArgumentException.class, () -> operation("CRC16", null));
    assertTrue(e.getMessage().startsWith("Operation.S3ComputeObjectChecksum.ChecksumAlgorithm"),
        e.getMessage());
  }

  private String checksum(String algorithm, String type, String bucket, String key) {
    TaskResult r = runOne(operation(algorithm, type), mockClients,
        new ObjectTask(1, bucket, key, null, null));
    assertTrue(r.succeeded(), r::toString);
    return r.resultMessage();
  }

  private static CompletedPart uploadPart(S3Client s3, String bucket, String upload, int n,
      byte[] body) {
    String etag = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(upload).partNumber(n),
        RequestBody.fromBytes(body)).eTag();
    return CompletedPart.builder().partNumber(n).eTag(etag).build();
  }

  private static S3ComputeObjectChecksum operation(String algorithm, String type) {
    return new S3ComputeObjectChecksum(new S3ComputeObjectChecksumOperation(algorithm, type));
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private static String base64(long value) {
    return base64(String.format("%016x", value));
  }
}
