/**
 * The benchmark and fault harness (test sources, never in the shaded jar): {@link
 * io.github.s3batchspark.bench.LoadS3Server}, an in-memory S3 endpoint that adds latency without
 * holding threads, injects faults and enforces S3's per-prefix request rate; {@link
 * io.github.s3batchspark.bench.Bench}, which measures the project's job against the naive Spark
 * job, a bare async client and, on the copy workload, rclone ({@link
 * io.github.s3batchspark.bench.RcloneCopy}) on the same objects ({@code scripts/bench}), warm or,
 * with {@code --cold}, each a fresh process timed whole ({@link
 * io.github.s3batchspark.bench.ColdContenders}); and {@link
 * io.github.s3batchspark.bench.MemoryBench}, which runs a job of millions of tasks in a JVM of
 * its own with a capped heap and reads its GC log ({@code scripts/bench --memory csv}, {@code
 * inventory} or {@code generated}); and
 * {@link io.github.s3batchspark.bench.ListingBench}, the generated manifest's listing against one
 * ListObjectsV2 paginator ({@code scripts/bench --workload listing}).
 */
package io.github.s3batchspark.bench;
