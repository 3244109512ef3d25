package io.github.s3batchspark.manifest;

import io.github.s3batchspark.job.spec.JobManifestGeneratorFilter;
import io.github.s3batchspark.job.spec.KeyNameConstraint;
import io.github.s3batchspark.job.spec.ObjectEncryptionFilter;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code JobManifestGeneratorFilter} as Amazon defines it, checked once on the driver and then
 * applied on the executors. An object is in the manifest when it passes every member given:
 *
 * <ul>
 *   <li>{@code CreatedAfter} / {@code CreatedBefore}: its LastModified (when this version was
 *       written) is strictly after / before the time;</li>
 *   <li>{@code KeyNameConstraint}: for each of MatchAnyPrefix, MatchAnySuffix and
 *       MatchAnySubstring that is given, the key matches at least one of its strings;</li>
 *   <li>{@code ObjectSizeGreaterThanBytes} / {@code ObjectSizeLessThanBytes}: strictly;</li>
 *   <li>{@code MatchAnyStorageClass}: its storage class is one of them;</li>
 *   <li>{@code MatchAnyObjectEncryption}: its encryption is one of them ({@link
 *       EncryptionMatch}), from a HEAD;</li>
 *   <li>{@code ObjectReplicationStatuses}: its replication status (NONE when it has none) is one
 *       of them, from a HEAD;</li>
 *   <li>{@code EligibleForReplication}: an enabled rule of the bucket's replication
 *       configuration selects it ({@link ReplicationRules}).</li>
 * </ul>
 *
 * The first five are answered by the listing; the others need a request per object, made only
 * for objects that passed the first five.
 */
public record GeneratorFilter(Instant createdAfter, Instant createdBefore,
    List<String> prefixes, List<String> suffixes, List<String> substrings,
    Long sizeGreaterThan, Long sizeLessThan, List<String> storageClasses,
    List<EncryptionMatch> encryptions, List<String> replicationStatuses,
    ReplicationRules eligibleForReplication) implements Serializable {

  private static final String FIELD = "ManifestGenerator.S3JobManifestGenerator.Filter.";
  static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "STANDARD_IA", "ONEZONE_IA",
      "GLACIER", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR");
  static final Set<String> REPLICATION_STATUSES = Set.of("COMPLETED", "FAILED", "REPLICA",
      "NONE");

  /** Keeps every object. */
  public static final GeneratorFilter NONE = new GeneratorFilter(null, null, List.of(), List.of(),
      List.of(), null, null, List.of(), List.of(), List.of(), null);

  /**
   * The spec's filter, checked; {@code rules} is the bucket's replication configuration when
   * EligibleForReplication is true (the caller reads it), else ignored.
   *
   * @throws ManifestException naming the member and the value that is wrong
   */
  public static GeneratorFilter of(JobManifestGeneratorFilter spec, ReplicationRules rules) {
    if (spec == null) {
      return NONE;
    }
    if (spec.createdAfter() != null && spec.createdBefore() != null
        && !spec.createdAfter().isBefore(spec.createdBefore())) {
      throw new ManifestException(FIELD + "CreatedAfter " + spec.createdAfter()
          + " is not before CreatedBefore " + spec.createdBefore()
          + ": no object can match; give CreatedAfter earlier than CreatedBefore");
    }
    checkSize("ObjectSizeGreaterThanBytes", spec.objectSizeGreaterThanBytes());
    checkSize("ObjectSizeLessThanBytes", spec.objectSizeLessThanBytes());
    KeyNameConstraint names = spec.keyNameConstraint();
    List<EncryptionMatch> encryptions = new ArrayList<>();
    List<ObjectEncryptionFilter> asked = orEmpty(spec.matchAnyObjectEncryption());
    for (int i = 0; i < asked.size(); i++) {
      encryptions.add(EncryptionMatch.of(asked.get(i), FIELD + "MatchAnyObjectEncryption[" + i
          + "]"));
    }
    return new GeneratorFilter(spec.createdAfter(), spec.createdBefore(),
        strings("KeyNameConstraint.MatchAnyPrefix", names == null ? null : names.matchAnyPrefix()),
        strings("KeyNameConstraint.MatchAnySuffix", names == null ? null : names.matchAnySuffix()),
        strings("KeyNameConstraint.MatchAnySubstring",
            names == null ? null : names.matchAnySubstring()),
        spec.objectSizeGreaterThanBytes(), spec.objectSizeLessThanBytes(),
        allowed("MatchAnyStorageClass", spec.matchAnyStorageClass(), STORAGE_CLASSES),
        List.copyOf(encryptions),
        allowed("ObjectReplicationStatuses", spec.objectReplicationStatuses(),
            REPLICATION_STATUSES),
        Boolean.TRUE.equals(spec.eligibleForReplication()) ? rules : null);
  }

  /** Whether the filter asks for the bucket's replication configuration. */
  public static boolean needsReplicationRules(JobManifestGeneratorFilter spec) {
    return spec != null && Boolean.TRUE.equals(spec.eligibleForReplication());
  }

  /** The members a listing answers: time, key name, size and storage class. */
  public boolean listingMatches(ListedObject object) {
    return (createdAfter == null || object.lastModified().isAfter(createdAfter))
        && (createdBefore == null || object.lastModified().isBefore(createdBefore))
        && (prefixes.isEmpty() || prefixes.stream().anyMatch(object.key()::startsWith))
        && (suffixes.isEmpty() || suffixes.stream().anyMatch(object.key()::endsWith))
        && (substrings.isEmpty() || substrings.stream().anyMatch(object.key()::contains))
        && (sizeGreaterThan == null || object.size() > sizeGreaterThan)
        && (sizeLessThan == null || object.size() < sizeLessThan)
        && (storageClasses.isEmpty() || storageClasses.contains(object.storageClass()));
  }

  /** Whether each candidate needs a HEAD (encryption, replication status). */
  public boolean needsHead() {
    return !encryptions.isEmpty() || !replicationStatuses.isEmpty();
  }

  /** Whether each candidate needs its tags (a replication rule filters on tags). */
  public boolean needsTags() {
    return eligibleForReplication != null && eligibleForReplication.filtersOnTags();
  }

  /** The members that need a request per object, given what the requests answered. */
  public boolean factsMatch(ListedObject object, ObjectFacts facts) {
    return (encryptions.isEmpty() || encryptions.stream().anyMatch(e -> e.matches(facts)))
        && (replicationStatuses.isEmpty()
            || replicationStatuses.contains(facts.replicationStatusOrNone()))
        && (eligibleForReplication == null
            || eligibleForReplication.selects(object.key(), facts.tags()));
  }

  private static void checkSize(String member, Long value) {
    if (value != null && value < 0) {
      throw new ManifestException(FIELD + member + " is " + value
          + ": give a number of bytes, 0 or more");
    }
  }

  private static List<String> strings(String member, List<String> values) {
    for (String value : orEmpty(values)) {
      if (value == null || value.isEmpty()) {
        throw new ManifestException(FIELD + member + " has an empty string, which every key"
            + " matches: remove it, or remove " + member);
      }
    }
    return List.copyOf(orEmpty(values));
  }

  private static List<String> allowed(String member, List<String> values, Set<String> valid) {
    List<String> result = new ArrayList<>();
    for (String value : orEmpty(values)) {
      String upper = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
      if (!valid.contains(upper)) {
        throw new ManifestException(FIELD + member + " has '" + value + "': use one of "
            + valid.stream().sorted().toList());
      }
      result.add(upper);
    }
    return List.copyOf(result);
  }

  private static <T> List<T> orEmpty(List<T> values) {
    return values == null ? List.of() : values;
  }
}
