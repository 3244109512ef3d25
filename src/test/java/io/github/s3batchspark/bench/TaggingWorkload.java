package io.github.s3batchspark.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/** PutObjectTagging on small objects: one request per task, nothing but latency to wait for. */
final class TaggingWorkload implements Workload {
  private static final String TAG_KEY = "bench";

  @Override
  public String name() {
    return "tagging";
  }

  @Override
  public VirtualObjects seed(LoadS3Server server, int tasks) {
    return server.seed("bench-tagging", "photos/", 64, tasks, 1024);
  }

  @Override
  public CompletableFuture<?> bare(S3AsyncClient s3, String bucket, String key, String label) {
    return s3.putObjectTagging(b -> b.bucket(bucket).key(key).tagging(tagging(label)));
  }

  @Override
  public void naive(S3Client s3, String bucket, String key, String label) {
    s3.putObjectTagging(b -> b.bucket(bucket).key(key).tagging(tagging(label)));
  }

  @Override
  public Set<String> actions() {
    return Set.of("PutObjectTagging");
  }

  @Override
  public String operationJson(String label) {
    return "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"" + TAG_KEY + "\", \"Value\": \""
        + label + "\"}]}}";
  }

  @Override
  public long done(LoadS3Server server, VirtualObjects objects, String label) {
    return objects.countWithTagSet(tagSet(server, label));
  }

  /** {@link #done} on the stored objects of a listed bucket (a generated manifest's source). */
  long done(LoadS3Server server, ListingBucket bucket, String label) {
    return bucket.countWithTagSet(server, tagSet(server, label));
  }

  private static int tagSet(LoadS3Server server, String label) {
    return server.store().tagSetId(List.of(new ObjectStore.Tag(TAG_KEY, label)));
  }

  private static Tagging tagging(String label) {
    return Tagging.builder().tagSet(Tag.builder().key(TAG_KEY).value(label).build()).build();
  }
}
