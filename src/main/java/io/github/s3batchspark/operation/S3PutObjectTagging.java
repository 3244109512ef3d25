package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.model.PutObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * Replaces the tag set of each object (S3PutObjectTagging). An empty TagSet removes every tag;
 * it is sent as DeleteObjectTagging, which has that effect on every store, where an empty
 * {@code <TagSet/>} is refused by some S3-compatible ones (S3Mock and moto answer 500).
 */
public final class S3PutObjectTagging implements ObjectOperation {
  private final List<ObjectTag> tagSet;
  private transient volatile Tagging sdkTagging;

  /** A tag as a serialisable value (the SDK's {@link Tag} is not serialisable). */
  public record ObjectTag(String key, String value) implements java.io.Serializable {}

  public S3PutObjectTagging(List<ObjectTag> tagSet) {
    this.tagSet = List.copyOf(tagSet);
  }

  /**
   * The SDK's tag set, built once per executor copy of the operation rather than per object
   * (the SDK's types are immutable but not serialisable, hence transient and built lazily).
   */
  private Tagging tagging() {
    Tagging built = sdkTagging;
    if (built == null) {
      built = Tagging.builder()
          .tagSet(tagSet.stream().map(t -> Tag.builder().key(t.key()).value(t.value()).build())
              .toList())
          .build();
      sdkTagging = built;
    }
    return built;
  }

  /** An empty TagSet removes the tags, which S3 authorises as DeleteObjectTagging. */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(tagSet.isEmpty()
        ? objects.onObjects("RemoveObjectTags", "s3:DeleteObjectTagging",
            "s3:DeleteObjectVersionTagging")
        : objects.onObjects("TagObjects", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"));
  }

  @Override
  public String name() {
    return "S3PutObjectTagging";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    if (tagSet.isEmpty()) {
      return EtagGuard.write(task, clients.s3(), version -> clients.s3().deleteObjectTagging(
              b -> b.bucket(task.bucket()).key(task.key()).versionId(version)))
          .thenApply(r -> new OperationResult(200, null));
    }
    Tagging tagging = tagging();
    return EtagGuard.write(task, clients.s3(), version -> clients.s3().putObjectTagging(
            PutObjectTaggingRequest.builder()
                .bucket(task.bucket())
                .key(task.key())
                .versionId(version)
                .tagging(tagging)
                .build()))
        .thenApply(r -> new OperationResult(r.sdkHttpResponse().statusCode(), null));
  }

  @Override
  public String describe(ObjectTask task) {
    return tagSet.isEmpty() ? "Would remove every tag of " + Describe.object(task)
        : "Would replace the tags of " + Describe.object(task) + " with " + tagSet.size()
            + " tag(s)";
  }
}
