package io.github.s3batchspark.operation;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A GET's body hashed as it arrives, answering the checksum's value when the body ends.
 *
 * <p>The subscriber asks for every buffer at once instead of one at a time (what
 * {@code SdkPublisher.subscribe(Consumer)} does): hashing is synchronous on the HTTP client's
 * event loop, so the event loop itself is the back-pressure, and the body flows without one
 * scheduled demand task per buffer (the SDK's Netty client hands over a buffer per 8 KiB).
 * Nothing is kept but the hash's state.
 */
final class BodyChecksum implements AsyncResponseTransformer<GetObjectResponse, byte[]> {
  private final String algorithm;
  private volatile CompletableFuture<byte[]> value;

  BodyChecksum(String algorithm) {
    this.algorithm = algorithm;
  }

  /** A fresh hash and future for each attempt of the request. */
  @Override
  public CompletableFuture<byte[]> prepare() {
    value = new CompletableFuture<>();
    return value;
  }

  @Override
  public void onResponse(GetObjectResponse response) {
  }

  @Override
  public void onStream(SdkPublisher<ByteBuffer> body) {
    body.subscribe(new Hashing(StreamingChecksum.of(algorithm), value));
  }

  @Override
  public void exceptionOccurred(Throwable error) {
    value.completeExceptionally(error);
  }

  private static final class Hashing implements Subscriber<ByteBuffer> {
    private final StreamingChecksum checksum;
    private final CompletableFuture<byte[]> value;
    private Subscription subscription;

    Hashing(StreamingChecksum checksum, CompletableFuture<byte[]> value) {
      this.checksum = checksum;
      this.value = value;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    /** A subscriber may not throw: a failure to hash stops the body and fails the task. */
    @Override
    public void onNext(ByteBuffer buffer) {
      try {
        checksum.update(buffer);
      } catch (RuntimeException e) {
        subscription.cancel();
        value.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable error) {
      value.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      value.complete(checksum.value());
    }
  }
}
