package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The rules AWS applies beyond the shape, each reported against the field it concerns. */
final class JobSpecRules {
  private static final String CSV_MANIFEST = "S3BatchOperations_CSV_20180820";

  private JobSpecRules() {}

  static void check(JsonNode root, ObjectNode job, List<String> problems) {
    checkOperation(root.get("members").get("Operation").get("members"), job.get("Operation"),
        problems);
    checkManifestSource(job, problems);
    checkReport(job.get("Report"), problems);
    checkCsvManifestFields(job.path("Manifest").path("Spec"), problems);
    checkManifestGenerator(job.path("ManifestGenerator").path("S3JobManifestGenerator"),
        problems);
    NotificationRules.check(job.path("Notifications"), problems);
  }

  private static void checkOperation(JsonNode known, JsonNode operation,
      List<String> problems) {
    if (operation == null || !operation.isObject()) {
      return;
    }
    List<String> named = new ArrayList<>();
    operation.fieldNames().forEachRemaining(n -> {
      if (known.has(n)) {
        named.add(n);
      }
    });
    if (named.size() != 1) {
      problems.add("Operation: must have exactly one operation, got "
          + (named.isEmpty() ? "none" : named.size() + ": " + String.join(", ", named))
          + " (this build runs " + SupportedOperations.describe() + ")");
      return;
    }
    String name = named.get(0);
    if (!SupportedOperations.isSupported(name)) {
      problems.add("Operation." + name + ": not supported yet (this build runs "
          + SupportedOperations.describe() + ")");
    } else if (name.equals("S3PutObjectCopy")
        && !operation.get(name).has("TargetResource")) {
      // AWS refuses a copy without a destination at CreateJob, before any task runs
      problems.add("Operation.S3PutObjectCopy.TargetResource: required");
    } else if (name.equals("LambdaInvoke")) {
      checkLambdaInvoke(operation.get(name), problems);
    }
  }

  /** AWS's CreateJob rules for LambdaInvoke, so that a bad job is refused before it runs. */
  private static void checkLambdaInvoke(JsonNode lambda, List<String> problems) {
    String path = "Operation.LambdaInvoke";
    if (!lambda.hasNonNull("FunctionArn")) {
      problems.add(path + ".FunctionArn: required (the function to invoke for every object)");
    }
    String version = lambda.path("InvocationSchemaVersion").asText("1.0");
    if (!version.equals("1.0") && !version.equals("2.0")) {
      problems.add(path + ".InvocationSchemaVersion: must be 1.0 or 2.0, got " + version);
    } else if (lambda.path("UserArguments").size() > 0 && !version.equals("2.0")) {
      problems.add(path + ".UserArguments: needs InvocationSchemaVersion 2.0");
    }
  }

  /** Exactly one of Manifest, ManifestGenerator and our extension DynamoDBManifest. */
  private static void checkManifestSource(ObjectNode job, List<String> problems) {
    List<String> given = java.util.stream.Stream.of("Manifest", "ManifestGenerator",
        "DynamoDBManifest").filter(job::has).toList();
    if (given.isEmpty()) {
      problems.add("Manifest: required (or ManifestGenerator, or DynamoDBManifest), got none");
    } else if (given.size() > 1) {
      problems.add(given.get(1) + ": must not be given together with " + given.get(0)
          + "; a job reads exactly one of Manifest, ManifestGenerator and DynamoDBManifest");
    }
  }

  private static void checkReport(JsonNode report, List<String> problems) {
    if (report == null || !report.path("Enabled").asBoolean(false)) {
      return;
    }
    for (String member : List.of("Bucket", "Format")) {
      if (!report.has(member)) {
        problems.add("Report." + member + ": required when Report.Enabled is true");
      }
    }
  }

  private static void checkCsvManifestFields(JsonNode spec, List<String> problems) {
    if (!CSV_MANIFEST.equals(spec.path("Format").asText(null))) {
      return;
    }
    JsonNode fields = spec.get("Fields");
    if (fields == null) {
      problems.add("Manifest.Spec.Fields: required for " + CSV_MANIFEST
          + " manifests, for example [\"Bucket\", \"Key\"]");
      return;
    }
    if (!fields.isArray()) {
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    fields.forEach(f -> seen.merge(f.asText(), 1, Integer::sum));
    if (!seen.containsKey("Bucket") || !seen.containsKey("Key")) {
      problems.add("Manifest.Spec.Fields: must contain Bucket and Key, got " + fields);
    }
    for (String column : List.of("Bucket", "Key", "VersionId")) {
      if (seen.getOrDefault(column, 0) > 1) {
        problems.add("Manifest.Spec.Fields: " + column + " must appear once, got "
            + seen.get(column) + " times");
      }
    }
  }

  private static void checkManifestGenerator(JsonNode generator, List<String> problems) {
    String path = "ManifestGenerator.S3JobManifestGenerator";
    if (generator.path("EnableManifestOutput").asBoolean(false)
        && !generator.has("ManifestOutputLocation")) {
      problems.add(path + ".ManifestOutputLocation: required when EnableManifestOutput is"
          + " true");
    }
    JsonNode filter = generator.path("Filter");
    Instant after = Timestamps.parse(filter.path("CreatedAfter"));
    Instant before = Timestamps.parse(filter.path("CreatedBefore"));
    if (after != null && before != null && !after.isBefore(before)) {
      problems.add(path + ".Filter.CreatedBefore: must be later than CreatedAfter ("
          + after + "), got " + before + "; no object can match");
    }
    JsonNode greater = filter.path("ObjectSizeGreaterThanBytes");
    JsonNode less = filter.path("ObjectSizeLessThanBytes");
    if (greater.isIntegralNumber() && less.isIntegralNumber()
        && greater.bigIntegerValue().add(BigInteger.ONE).compareTo(less.bigIntegerValue())
        >= 0) {
      problems.add(path + ".Filter.ObjectSizeLessThanBytes: must be at least"
          + " ObjectSizeGreaterThanBytes + 2 (" + greater.bigIntegerValue().add(BigInteger.TWO)
          + "), got " + less + "; no object can match");
    }
  }
}
