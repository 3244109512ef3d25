package io.github.s3batchspark.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Compute-checksum: each object read with a streaming GET and its CRC32C computed as the bytes
 * arrive, nothing buffered. The figure of merit is bytes per second. What an object's checksum
 * came to is not kept: the work is the read.
 */
final class ChecksumWorkload implements Workload {
  private final long size;

  ChecksumWorkload(long size) {
    this.size = size;
  }

  @Override
  public String name() {
    return "checksum";
  }

  @Override
  public VirtualObjects seed(LoadS3Server server, int tasks) {
    return server.seed("bench-checksum", "photos/", 64, tasks, size);
  }

  @Override
  public CompletableFuture<?> bare(S3AsyncClient s3, String bucket, String key, String label) {
    return s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toPublisher())
        .thenCompose(publisher -> {
          CRC32C crc = new CRC32C();
          return publisher.subscribe((ByteBuffer buffer) -> {
            crc.update(buffer);
          });
        });
  }

  @Override
  public void naive(S3Client s3, String bucket, String key, String label) {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Set<String> actions() {
    return Set.of("GetObject");
  }

  @Override
  public String operationJson(String label) {
    return "{\"S3ComputeObjectChecksum\": {\"ChecksumAlgorithm\": \"CRC32C\", "
        + "\"ChecksumType\": \"FULL_OBJECT\"}}";
  }

  /** A read leaves nothing to look at afterwards: the contender's own count stands. */
  @Override
  public long done(LoadS3Server server, VirtualObjects objects, String label) {
    return UNOBSERVABLE;
  }

  @Override
  public long bytesPerTask(VirtualObjects objects) {
    return objects.size();
  }
}
