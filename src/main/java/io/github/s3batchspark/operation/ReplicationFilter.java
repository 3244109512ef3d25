package io.github.s3batchspark.operation;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleFilter;
import software.amazon.awssdk.services.s3.model.Tag;

/** Whether a replication rule's filter (prefix, tag, or And of both) selects an object. */
final class ReplicationFilter {
  private ReplicationFilter() {}

  static boolean matches(ReplicationRule rule, String key, Map<String, String> objectTags) {
    String prefix = prefix(rule);
    return (prefix == null || key.startsWith(prefix))
        && tags(rule).entrySet().stream()
            .allMatch(t -> t.getValue().equals(objectTags.get(t.getKey())));
  }

  /** The rule's prefix: the filter's, its And's, or the rule's own (the older schema). */
  @SuppressWarnings("deprecation")
  static String prefix(ReplicationRule rule) {
    ReplicationRuleFilter f = rule.filter();
    if (f == null) {
      return rule.prefix();
    }
    if (f.and() != null) {
      return f.and().prefix();
    }
    return f.prefix();
  }

  static Map<String, String> tags(ReplicationRule rule) {
    Map<String, String> tags = new HashMap<>();
    ReplicationRuleFilter f = rule.filter();
    if (f == null) {
      return tags;
    }
    if (f.tag() != null) {
      tags.put(f.tag().key(), f.tag().value());
    }
    if (f.and() != null) {
      f.and().tags().forEach((Tag t) -> tags.put(t.key(), t.value()));
    }
    return tags;
  }
}
