/**
 * The benchmark and fault harness (test sources, never in the shaded jar): {@link
 * io.github.s3batchspark.bench.LoadS3Server}, an in-memory S3 endpoint that adds latency without
 * holding threads, injects faults and enforces S3's per-prefix request rate; and {@link
 * io.github.s3batchspark.bench.Bench}, which measures the project's job against the naive Spark
 * job and a bare async client on the same objects ({@code scripts/bench}).
 */
package io.github.s3batchspark.bench;
