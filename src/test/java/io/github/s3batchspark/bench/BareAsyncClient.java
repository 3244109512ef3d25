package io.github.s3batchspark.bench;

import io.github.s3batchspark.execution.ResolvedOnce;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Contender (c), the practical limit of the machine: one async SDK client, no Spark, a plain
 * loop that keeps {@code window} requests in flight. Nothing is recorded per object. The client
 * is tuned as the project's executors tune theirs (endpoint and auth scheme resolved once per
 * bucket, {@link ResolvedOnce}), so that the limit is the SDK's best, not its default.
 */
final class BareAsyncClient {
  private final String endpoint;
  private final int window;
  private final boolean failuresAreResults;

  BareAsyncClient(String endpoint, int window) {
    this(endpoint, window, false);
  }

  /**
   * With {@code failuresAreResults} (a fault run), a request that failed after the SDK's own
   * attempts is an object this client loses: part of its result, not a reason it could not run.
   */
  BareAsyncClient(String endpoint, int window, boolean failuresAreResults) {
    this.endpoint = endpoint;
    this.window = window;
    this.failuresAreResults = failuresAreResults;
  }

  Measurement run(Workload workload, VirtualObjects objects, int tasks, String label,
      Duration limit, LoadS3Server server) {
    var before = server.stats().snapshot();
    server.stats().takeMostPending();
    try (S3AsyncClient s3 = client(workload)) {
      Semaphore slots = new Semaphore(window);
      AtomicLong failed = new AtomicLong();
      long deadline = System.nanoTime() + limit.toNanos();
      long started = System.nanoTime();
      int issued = 0;
      while (issued < tasks && System.nanoTime() < deadline) {
        slots.acquireUninterruptibly();
        workload.bare(s3, objects.bucket(), objects.key(issued), label)
            .whenComplete((r, e) -> {
              if (e != null) {
                failed.incrementAndGet();
              }
              slots.release();
            });
        issued++;
      }
      if (!slots.tryAcquire(window, Math.max(1, deadline - System.nanoTime()),
          TimeUnit.NANOSECONDS)) {
        return Measurement.failed("bare", "requests still in flight at the time limit");
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long seen = workload.done(server, objects, label);
      long done = seen == Workload.UNOBSERVABLE ? issued - failed.get() : seen;
      return new Measurement("bare", issued, done, seconds,
          server.stats().phase(before),
          failed.get() == 0 || failuresAreResults ? null : failed.get() + " requests failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Measurement.failed("bare", "interrupted");
    }
  }

  private S3AsyncClient client(Workload workload) {
    return workload.configureBare(ResolvedOnce.install(S3AsyncClient.builder()))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .maxConcurrency(window)
            .maxPendingConnectionAcquires(Math.max(10_000, window * 2)))
        .endpointOverride(URI.create(endpoint))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }
}
