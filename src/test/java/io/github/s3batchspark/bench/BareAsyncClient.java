package io.github.s3batchspark.bench;

import io.github.s3batchspark.execution.ResolvedOnce;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
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
    Pass pass = pass(workload, objects.bucket(), objects::key, tasks, label, limit);
    if (pass == null) {
      return Measurement.failed("bare", "interrupted");
    }
    if (!pass.drained()) {
      return Measurement.failed("bare", "requests still in flight at the time limit");
    }
    long seen = workload.done(server, objects, label);
    long done = seen == Workload.UNOBSERVABLE ? pass.issued() - pass.failed() : seen;
    return new Measurement("bare", pass.issued(), done, pass.seconds(),
        server.stats().phase(before),
        pass.failed() == 0 || failuresAreResults ? null : pass.failed() + " requests failed");
  }

  /**
   * One pass of requests: how many were sent and failed, in how long, and whether every answer
   * came back before the time limit.
   */
  record Pass(int issued, long failed, double seconds, boolean drained) {}

  /**
   * Sends the workload's request chain for keys 0..tasks-1 of {@code bucket}, {@code window} at
   * a time, on a client of its own; null when interrupted. The whole of {@link #run}'s client
   * work, and of the cold run's fresh JVM ({@link ColdBareClient}), which has no load server at
   * hand.
   */
  Pass pass(Workload workload, String bucket, IntFunction<String> key, int tasks, String label,
      Duration limit) {
    try (S3AsyncClient s3 = client(workload)) {
      Semaphore slots = new Semaphore(window);
      AtomicLong failed = new AtomicLong();
      long deadline = System.nanoTime() + limit.toNanos();
      long started = System.nanoTime();
      int issued = 0;
      while (issued < tasks && System.nanoTime() < deadline) {
        slots.acquireUninterruptibly();
        workload.bare(s3, bucket, key.apply(issued), label)
            .whenComplete((r, e) -> {
              if (e != null) {
                failed.incrementAndGet();
              }
              slots.release();
            });
        issued++;
      }
      boolean drained = slots.tryAcquire(window, Math.max(1, deadline - System.nanoTime()),
          TimeUnit.NANOSECONDS);
      return new Pass(issued, failed.get(), (System.nanoTime() - started) / 1e9, drained);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
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
