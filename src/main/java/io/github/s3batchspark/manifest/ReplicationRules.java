package io.github.s3batchspark.manifest;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The enabled rules of a bucket's replication configuration, as {@code EligibleForReplication}
 * reads them: an object is eligible when an enabled rule's filter (its prefix, its tags, or both
 * under {@code And}; the older rule-level {@code Prefix} too) selects it.
 *
 * @param rules the enabled rules' selections
 */
public record ReplicationRules(List<Selection> rules) implements Serializable {

  /** What one rule selects: keys with this prefix that carry all these tags. */
  public record Selection(String prefix, Map<String, String> tags) implements Serializable {
    boolean selects(String key, Map<String, String> objectTags) {
      return key.startsWith(prefix)
          && tags.entrySet().stream().allMatch(t -> t.getValue().equals(objectTags.get(t.getKey())));
    }
  }

  /**
   * The rules of {@code bucket}'s configuration.
   *
   * @throws ManifestException when the bucket has no replication configuration (no object can be
   *     eligible: the filter is a mistake) or it cannot be read
   */
  public static ReplicationRules of(S3Client s3, String bucket, String expectedOwner) {
    ReplicationConfiguration configuration;
    try {
      configuration = s3.getBucketReplication(b -> b.bucket(bucket)
          .expectedBucketOwner(expectedOwner)).replicationConfiguration();
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      throw new ManifestException("ManifestGenerator.S3JobManifestGenerator.Filter."
          + "EligibleForReplication is true but the replication configuration of bucket "
          + bucket + (e.statusCode() == 404 ? " does not exist" : " cannot be read (HTTP "
          + e.statusCode() + " " + code + ")")
          + ": configure replication on the bucket, or remove EligibleForReplication", e);
    }
    return new ReplicationRules(configuration.rules().stream()
        .filter(r -> r.status() == ReplicationRuleStatus.ENABLED)
        .map(ReplicationRules::selection).toList());
  }

  /** Whether some rule selects the object. */
  boolean selects(String key, Map<String, String> objectTags) {
    return rules.stream().anyMatch(r -> r.selects(key, objectTags));
  }

  /** Whether a rule needs the objects' tags. */
  boolean filtersOnTags() {
    return rules.stream().anyMatch(r -> !r.tags().isEmpty());
  }

  @SuppressWarnings("deprecation") // a rule's own Prefix is the older form, still in use
  private static Selection selection(ReplicationRule rule) {
    String prefix = rule.prefix() == null ? "" : rule.prefix();
    Map<String, String> tags = new HashMap<>();
    if (rule.filter() != null) {
      var filter = rule.filter();
      if (filter.prefix() != null) {
        prefix = filter.prefix();
      }
      if (filter.tag() != null) {
        tags.put(filter.tag().key(), filter.tag().value());
      }
      if (filter.and() != null) {
        if (filter.and().prefix() != null) {
          prefix = filter.and().prefix();
        }
        for (Tag tag : filter.and().tags()) {
          tags.put(tag.key(), tag.value());
        }
      }
    }
    return new Selection(prefix, Map.copyOf(tags));
  }
}
