package io.github.s3batchspark.operation;

import java.util.List;

/**
 * The objects a job's tasks will touch, as far as the job spec tells before the manifest is
 * read: the ARNs of their buckets and of the objects in them. An operation names these as the
 * resources of its own permissions ({@link ObjectOperation#permissions}).
 *
 * @param bucketArns e.g. {@code arn:aws:s3:::photos}, or {@code arn:aws:s3:::*} when the
 *                   buckets are unknown (a CSV manifest names them line by line)
 * @param objectArns e.g. {@code arn:aws:s3:::photos/*}, or {@code arn:aws:s3:::*}
 * @param known      whether the buckets are known; when not, every statement on them says so in
 *                   its Sid
 */
public record ObjectScope(List<String> bucketArns, List<String> objectArns, boolean known) {
  public ObjectScope {
    bucketArns = List.copyOf(bucketArns);
    objectArns = List.copyOf(objectArns);
  }

  /** The objects of these buckets ({@code arn:aws:s3:::name}). */
  public static ObjectScope ofBuckets(List<String> bucketArns) {
    return new ObjectScope(bucketArns, bucketArns.stream().map(b -> b + "/*").toList(), true);
  }

  /** Objects of any bucket: what is left when neither the spec nor the user names them. */
  public static ObjectScope anyBucket(String partition) {
    return new ObjectScope(List.of("arn:" + partition + ":s3:::*"),
        List.of("arn:" + partition + ":s3:::*"), false);
  }

  /**
   * A statement on the objects, whose Sid ends with {@code InAnyBucket} when their buckets are
   * unknown, so that the policy says it is wider than it needs to be.
   */
  public PolicyStatement onObjects(String sid, String... actions) {
    return PolicyStatement.allow(sid + (known ? "" : "InAnyBucket"), objectArns, actions);
  }

  /** A statement on the objects' buckets (bucket-level actions), named as {@link #onObjects}. */
  public PolicyStatement onBuckets(String sid, String... actions) {
    return PolicyStatement.allow(sid + (known ? "" : "InAnyBucket"), bucketArns, actions);
  }
}
