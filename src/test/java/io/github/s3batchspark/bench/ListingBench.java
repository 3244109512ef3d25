package io.github.s3batchspark.bench;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import io.github.s3batchspark.manifest.GeneratedManifest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code --workload listing}: keys per second of a whole-bucket listing, ours (the generated
 * manifest: the driver splits the key space, the executors list the pieces) against the naive
 * one (one ListObjectsV2 paginator), on the load server with added latency.
 *
 * <p>The bucket is a {@link ListingBucket} of {@code --keys} objects (1,000,000 by default),
 * seeded straight into the load server's memory. Both contenders must count every key.
 * The heap is sampled every 50 ms while each runs (this JVM holds the driver, the local
 * executors and the load server, whose seeded bucket is the baseline measured after a GC).
 */
final class ListingBench {
  private static final String BUCKET = "bench-listing";

  private final LoadS3Server server;
  private final int keys;
  private final int latency;

  ListingBench(LoadS3Server server, int keys, int latency) {
    this.server = server;
    this.keys = keys;
    this.latency = latency;
  }

  Map<String, Object> run(SparkSession spark) {
    long seeding = System.nanoTime();
    ListingBucket.seed(server, BUCKET, keys);
    double seedSeconds = (System.nanoTime() - seeding) / 1e9;
    System.gc();
    long baseline = heapUsed();
    server.settings(LoadSettings.none().withLatency(latency));

    Run naive = measured(this::naive);
    System.err.printf("bench: naive listing: %,d keys in %.1f s%n", naive.keys(), naive.seconds());
    System.gc();
    Run ours = measured(() -> ours(spark));
    System.err.printf("bench: ours listing: %,d keys in %.1f s%n", ours.keys(), ours.seconds());

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("workload", "listing");
    json.put("keys", keys);
    json.put("latency_ms", latency);
    json.put("seed_seconds", Bench.round(seedSeconds));
    json.put("ours_keys", ours.keys());
    json.put("naive_keys", naive.keys());
    json.put("ours_keys_per_s", Bench.round(ours.perSecond()));
    json.put("naive_keys_per_s", Bench.round(naive.perSecond()));
    json.put("ratio", naive.perSecond() > 0 ? Bench.round(ours.perSecond() / naive.perSecond())
        : null);
    json.put("heap_baseline_mb", baseline >> 20);
    json.put("ours_max_heap_mb", ours.maxHeap() >> 20);
    json.put("naive_max_heap_mb", naive.maxHeap() >> 20);
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("correct", ours.keys() == keys && naive.keys() == keys);
    return json;
  }

  private long naive() {
    try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint()))
        .forcePathStyle(true).region(Region.US_EAST_1).build()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).stream()
          .mapToLong(page -> page.contents().size()).sum();
    }
  }

  private long ours(SparkSession spark) {
    ClientSettings settings = ClientSettings.defaults().withEndpoint(server.endpoint())
        .withRegion("us-east-1").withCallerCredentials().resolvedOnDriver();
    return GeneratedManifest.load(spark, new S3JobManifestGenerator(null,
        "arn:aws:s3:::" + BUCKET, null, null, false), settings).count();
  }

  private record Run(long keys, double seconds, long maxHeap) {
    double perSecond() {
      return seconds > 0 ? keys / seconds : 0;
    }
  }

  /** Runs {@code listing}, timing it and sampling the heap's use meanwhile. */
  private static Run measured(LongSupplier listing) {
    AtomicLong max = new AtomicLong(heapUsed());
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        max.accumulateAndGet(heapUsed(), Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    long started = System.nanoTime();
    long listed = listing.getAsLong();
    double seconds = (System.nanoTime() - started) / 1e9;
    sampler.interrupt();
    return new Run(listed, seconds, max.get());
  }

  private static long heapUsed() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }
}
