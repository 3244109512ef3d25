package io.github.s3batchspark.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;

/**
 * CopyObject of every object into a bucket of the contender's own ({@code bench-copy-LABEL}),
 * same key. Small objects take one CopyObject each. Large ones ({@code large}) are copied in
 * parts above {@code threshold}: the project's job through its own multipart copy, the bare
 * client through the SDK's ({@code multipartEnabled}), and the naive job, as its author would,
 * with one CopyObject (S3 accepts up to 5 GiB).
 */
final class CopyWorkload implements Workload {
  private final boolean large;
  private final long size;
  private final long threshold;
  private final long partSize;

  CopyWorkload(boolean large, long size, long threshold, long partSize) {
    this.large = large;
    this.size = size;
    this.threshold = threshold;
    this.partSize = partSize;
  }

  static CopyWorkload small() {
    return new CopyWorkload(false, 8 * 1024, 0, 0);
  }

  /** 40 MiB objects copied in 8 MiB parts (5 parts each) above a 16 MiB threshold. */
  static CopyWorkload large() {
    return new CopyWorkload(true, 40L << 20, 16L << 20, 8L << 20);
  }

  @Override
  public String name() {
    return large ? "copy-large" : "copy";
  }

  @Override
  public VirtualObjects seed(LoadS3Server server, int tasks) {
    for (String label : List.of("warmup", "bare", "naive-warmup", "naive", "ours-warmup", "ours",
        "rclone")) {
      server.createBucket(target(label));
    }
    return server.seed("bench-" + name(), "photos/", 64, tasks, size);
  }

  @Override
  public CompletableFuture<?> bare(S3AsyncClient s3, String bucket, String key, String label) {
    return s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key)
        .destinationBucket(target(label)).destinationKey(key));
  }

  @Override
  public void naive(S3Client s3, String bucket, String key, String label) {
    s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(target(label))
        .destinationKey(key));
  }

  @Override
  public Set<String> actions() {
    return Set.of("CopyObject", "UploadPartCopy", "CreateMultipartUpload",
        "CompleteMultipartUpload");
  }

  @Override
  public String operationJson(String label) {
    return "{\"S3PutObjectCopy\": {\"TargetResource\": \"arn:aws:s3:::" + target(label)
        + "\", \"MetadataDirective\": \"COPY\"}}";
  }

  @Override
  public long done(LoadS3Server server, VirtualObjects objects, String label) {
    ObjectStore.Bucket target = server.store().bucket(target(label));
    return target.objects.values().stream().filter(o -> o.size() == objects.size()).count();
  }

  @Override
  public long bytesPerTask(VirtualObjects objects) {
    return large ? objects.size() : 0;
  }

  @Override
  public S3AsyncClientBuilder configureBare(S3AsyncClientBuilder builder) {
    if (!large) {
      return builder;
    }
    return builder.multipartEnabled(true).multipartConfiguration(MultipartConfiguration.builder()
        .thresholdInBytes(threshold).minimumPartSizeInBytes(partSize).build());
  }

  @Override
  public List<String> runArgs() {
    return large ? List.of("--multipart-threshold", String.valueOf(threshold),
        "--multipart-part-size", String.valueOf(partSize)) : List.of();
  }

  /** The bucket that shows the copies of {@code label}. */
  static String target(String label) {
    return "bench-copy-" + label;
  }
}
