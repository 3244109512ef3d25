package io.github.s3batchspark.bench;

import java.net.URI;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Contender (b), the job a user writes first: the keys in an RDD, {@code foreachPartition}
 * with the SDK's default synchronous client, one request at a time. Each Spark core waits out
 * every request's latency, so it is bound by latency, not by the machine.
 */
final class NaiveSparkJob {
  private final SparkSession spark;
  private final String endpoint;

  NaiveSparkJob(SparkSession spark, String endpoint) {
    this.spark = spark;
    this.endpoint = endpoint;
  }

  Measurement run(Workload workload, VirtualObjects objects, int tasks, String label,
      long limitMillis, LoadS3Server server) {
    var before = server.stats().snapshot();
    server.stats().takeMostPending();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> keys = objects.keys(0, tasks);
    String bucket = objects.bucket();
    String url = endpoint;
    LongAccumulator processed = spark.sparkContext().longAccumulator("naive-processed");
    long started = System.nanoTime();
    // The time limit keeps a slow naive run bounded; its rate is what was done in the time.
    long deadline = System.currentTimeMillis() + limitMillis;
    jsc.parallelize(keys, jsc.defaultParallelism()).foreachPartition(it -> {
      try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(url))
          .forcePathStyle(true).region(Region.US_EAST_1).build()) {
        while (it.hasNext() && System.currentTimeMillis() < deadline) {
          workload.naive(s3, bucket, it.next(), label);
          processed.add(1);
        }
      }
    });
    double seconds = (System.nanoTime() - started) / 1e9;
    long seen = workload.done(server, objects, label);
    return new Measurement("naive", processed.value(),
        seen == Workload.UNOBSERVABLE ? processed.value() : seen, seconds,
        server.stats().phase(before), null);
  }
}
