package io.github.s3batchspark.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

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

  /**
   * The bare client hashes the way the project's job does (S3ComputeObjectChecksum's
   * BodyChecksum): CRC32C over each buffer as it arrives, every buffer asked for at once. A
   * {@code subscribe(Consumer)} asks for one buffer at a time, which costs about a tenth more
   * CPU per object on the 2-core bench machine: the limit would not be the machine's.
   */
  @Override
  public CompletableFuture<?> bare(S3AsyncClient s3, String bucket, String key, String label) {
    return s3.getObject(b -> b.bucket(bucket).key(key), new Crc32cOfBody());
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

  /** A GET's body into a CRC32C, nothing kept; the value when the body ends. */
  private static final class Crc32cOfBody
      implements AsyncResponseTransformer<GetObjectResponse, Long> {
    private volatile CompletableFuture<Long> value;

    @Override
    public CompletableFuture<Long> prepare() {
      value = new CompletableFuture<>();
      return value;
    }

    @Override
    public void onResponse(GetObjectResponse response) {
    }

    @Override
    public void onStream(SdkPublisher<ByteBuffer> body) {
      CompletableFuture<Long> done = value;
      CRC32C crc = new CRC32C();
      body.subscribe(new Subscriber<ByteBuffer>() {
        @Override
        public void onSubscribe(Subscription subscription) {
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer buffer) {
          crc.update(buffer);
        }

        @Override
        public void onError(Throwable error) {
          done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
          done.complete(crc.getValue());
        }
      });
    }

    @Override
    public void exceptionOccurred(Throwable error) {
      value.completeExceptionally(error);
    }
  }
}
