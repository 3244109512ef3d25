package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a job JSON against the CreateJob shape generated from botocore
 * ({@code create-job-shape.json}) and against the rules AWS applies beyond the shape, collecting
 * every problem with its field path instead of stopping at the first.
 *
 * <p>Shape rules: required members, unknown members (refused, as the AWS CLI does), unions
 * (exactly one member), types, enums, string lengths in code points, number ranges, list and map
 * sizes, patterns. Patterns are searched for, not matched whole, because that is what Smithy
 * patterns mean; botocore's anchors ({@code ^...$}) say where a whole match is wanted.
 *
 * <p>Validation also normalises, in place: every timestamp (ISO-8601 text or epoch seconds, as
 * the AWS CLI accepts) is rewritten as ISO-8601 UTC text, so the rest of the program sees one
 * form.
 */
public final class JobSpecValidator {
  private static final String SHAPE_RESOURCE = "create-job-shape.json";
  private static final String CSV_MANIFEST = "S3BatchOperations_CSV_20180820";
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private final JsonNode root;

  private JobSpecValidator(JsonNode root) {
    this.root = root;
  }

  /** The validator for the CreateJob input (the shape tree is read once per JVM). */
  public static JobSpecValidator createJob() {
    return CreateJob.VALIDATOR;
  }

  /** Loaded on first use, so that a missing resource fails the first parse, not class loading. */
  private static final class CreateJob {
    static final JobSpecValidator VALIDATOR = new JobSpecValidator(loadShape());
  }

  /** The root shape ({@code CreateJobRequest}), for tools and tests that walk the tree. */
  public JsonNode shape() {
    return root.deepCopy();
  }

  /**
   * Returns every problem of {@code job}, shape problems first in document order, then the
   * semantic ones; an empty list means the job may be mapped to records and run.
   */
  public List<String> validate(ObjectNode job) {
    List<String> problems = new ArrayList<>();
    checkStructure(root, job, "", problems);
    SemanticRules.check(root, job, problems);
    return problems;
  }

  private static JsonNode loadShape() {
    try (InputStream in = JobSpecValidator.class.getResourceAsStream(SHAPE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + SHAPE_RESOURCE + " is missing from the "
            + "classpath: regenerate it with scripts/dev/generate-job-spec.py");
      }
      return new ObjectMapper().readTree(in).get("shape");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SHAPE_RESOURCE, e);
    }
  }

  private void check(JsonNode shape, JsonNode value, String path, List<String> problems,
      ValueSlot slot) {
    switch (shape.get("type").asText()) {
      case "structure" -> checkStructure(shape, value, path, problems);
      case "list" -> checkList(shape, value, path, problems);
      case "map" -> checkMap(shape, value, path, problems);
      case "string" -> checkString(shape, value, path, problems);
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(path + ": must be true or false, got " + shown(value));
        }
      }
      case "integer" -> checkWholeNumber(shape, value, path, problems, Integer.MIN_VALUE,
          Integer.MAX_VALUE);
      case "long" -> checkWholeNumber(shape, value, path, problems, Long.MIN_VALUE,
          Long.MAX_VALUE);
      case "timestamp" -> checkTimestamp(value, path, problems, slot);
      default -> throw new IllegalStateException("shape type " + shape.get("type")
          + " at " + path + " is not known to the validator: update JobSpecValidator");
    }
  }

  private void checkStructure(JsonNode shape, JsonNode value, String path,
      List<String> problems) {
    if (!value.isObject()) {
      problems.add(path + ": must be an object, got " + shown(value));
      return;
    }
    ObjectNode object = (ObjectNode) value;
    JsonNode members = shape.get("members");
    List<String> present = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      String memberPath = join(path, name);
      if (!members.has(name)) {
        problems.add(memberPath + ": unknown field");
        continue;
      }
      present.add(name);
      check(members.get(name), field.getValue(), memberPath, problems,
          replacement -> object.set(name, replacement));
    }
    for (JsonNode required : shape.get("required")) {
      if (!object.has(required.asText())) {
        problems.add(join(path, required.asText()) + ": required");
      }
    }
    if (shape.path("union").asBoolean() && present.size() != 1) {
      problems.add(path + ": must set exactly one of " + String.join(", ", names(members))
          + ", got " + (present.isEmpty() ? "none" : String.join(", ", present)));
    }
  }

  private void checkList(JsonNode shape, JsonNode value, String path, List<String> problems) {
    if (!value.isArray()) {
      problems.add(path + ": must be a list, got " + shown(value));
      return;
    }
    checkCount(shape, value.size(), "item", path, problems);
    for (int i = 0; i < value.size(); i++) {
      int index = i;
      check(shape.get("member"), value.get(i), path + "[" + i + "]", problems,
          replacement -> ((ArrayNode) value)
              .set(index, replacement));
    }
  }

  private void checkMap(JsonNode shape, JsonNode value, String path, List<String> problems) {
    if (!value.isObject()) {
      problems.add(path + ": must be an object of names to values, got " + shown(value));
      return;
    }
    checkCount(shape, value.size(), "entry", path, problems);
    ObjectNode object = (ObjectNode) value;
    List<String> keys = new ArrayList<>();
    object.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      String entryPath = join(path, key);
      checkString(shape.get("key"), TextNode.valueOf(key), entryPath + " (the name)", problems);
      check(shape.get("value"), object.get(key), entryPath, problems,
          replacement -> object.set(key, replacement));
    }
  }

  private void checkString(JsonNode shape, JsonNode value, String path, List<String> problems) {
    if (!value.isTextual()) {
      problems.add(path + ": must be a string, got " + shown(value));
      return;
    }
    String text = value.asText();
    if (shape.has("enum")) {
      List<String> allowed = new ArrayList<>();
      shape.get("enum").forEach(e -> allowed.add(e.asText()));
      if (!allowed.contains(text)) {
        problems.add(path + ": must be one of " + String.join(", ", allowed) + ", got "
            + shown(value));
      }
      return;
    }
    int length = text.codePointCount(0, text.length());
    Long min = bound(shape, "min");
    Long max = bound(shape, "max");
    if ((min != null && length < min) || (max != null && length > max)) {
      problems.add(path + ": must be " + range(min, max, "character") + " long, got "
          + count(length, "character"));
      return;
    }
    if (shape.has("pattern") && !pattern(shape.get("pattern").asText()).matcher(text).find()) {
      problems.add(path + ": must match the pattern " + shape.get("pattern").asText()
          + ", got " + shown(value));
    }
  }

  private void checkWholeNumber(JsonNode shape, JsonNode value, String path,
      List<String> problems, long typeMin, long typeMax) {
    long min = shape.has("min") ? Math.max(typeMin, shape.get("min").asLong()) : typeMin;
    long max = shape.has("max") ? Math.min(typeMax, shape.get("max").asLong()) : typeMax;
    BigInteger number = value.isIntegralNumber() ? value.bigIntegerValue() : null;
    if (number == null
        || number.compareTo(BigInteger.valueOf(min)) < 0
        || number.compareTo(BigInteger.valueOf(max)) > 0) {
      problems.add(path + ": must be an integer between " + min + " and " + max + ", got "
          + shown(value));
    }
  }

  private void checkTimestamp(JsonNode value, String path, List<String> problems,
      ValueSlot slot) {
    Instant instant = Timestamps.parse(value);
    if (instant == null) {
      problems.add(path + ": must be a timestamp, ISO-8601 (2024-01-31T12:00:00Z) or epoch"
          + " seconds, got " + shown(value));
      return;
    }
    slot.replaceWith(TextNode.valueOf(instant.toString()));
  }

  private static void checkCount(JsonNode shape, int size, String unit, String path,
      List<String> problems) {
    Long min = bound(shape, "min");
    Long max = bound(shape, "max");
    if ((min != null && size < min) || (max != null && size > max)) {
      problems.add(path + ": must have " + range(min, max, unit) + ", got " + size);
    }
  }

  private static Long bound(JsonNode shape, String name) {
    return shape.has(name) ? shape.get(name).asLong() : null;
  }

  /** "1 to 64 characters", "at most 1 item", "at least 1 entry", "exactly 1 item". */
  private static String range(Long min, Long max, String unit) {
    if (min != null && max != null) {
      return min.equals(max) ? "exactly " + count(min, unit)
          : min + " to " + count(max, unit);
    }
    return max != null ? "at most " + count(max, unit) : "at least " + count(min, unit);
  }

  private static String count(long n, String unit) {
    if (n == 1) {
      return n + " " + unit;
    }
    return n + " " + (unit.endsWith("y") ? unit.substring(0, unit.length() - 1) + "ies"
        : unit + "s");
  }

  private static List<String> names(JsonNode members) {
    List<String> names = new ArrayList<>();
    members.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** A value as a user would recognise it in their file, kept short. */
  static String shown(JsonNode value) {
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    String text = value.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  /**
   * botocore's patterns are ECMAScript regular expressions; the ones in the s3control model
   * ({@code \p{L}}, {@code [a-zA-Z0-9-_]}, {@code \$}) mean the same in Java, so they compile as
   * they are. A pattern Java cannot compile fails loudly here rather than being skipped.
   */
  static Pattern pattern(String ecmaPattern) {
    return PATTERNS.computeIfAbsent(ecmaPattern, p -> {
      try {
        return Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw new IllegalStateException("botocore pattern " + p + " does not compile as a Java"
            + " regular expression: translate it in JobSpecValidator.pattern", e);
      }
    });
  }

  /** Where a checked value lives in its parent, so a timestamp can be rewritten in place. */
  @FunctionalInterface
  private interface ValueSlot {
    void replaceWith(JsonNode replacement);
  }

  /** The timestamp forms the AWS CLI takes for s3control timestamp members. */
  static final class Timestamps {
    private Timestamps() {}

    /** The instant that {@code value} names, or null when it is no timestamp. */
    static Instant parse(JsonNode value) {
      if (value.isNumber()) {
        return fromEpochSeconds(value.decimalValue());
      }
      if (!value.isTextual()) {
        return null;
      }
      String text = value.asText().trim();
      try {
        return fromEpochSeconds(new BigDecimal(text));
      } catch (NumberFormatException notANumber) {
        return fromIso(text.replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) (\\d)", "$1T$2"));
      }
    }

    private static Instant fromEpochSeconds(BigDecimal seconds) {
      try {
        long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
      } catch (ArithmeticException | DateTimeException outOfRange) {
        return null;
      }
    }

    /** With an offset or Z; without one, UTC (as botocore reads a naive time). */
    private static Instant fromIso(String text) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notOffset) {
        // try the forms without an offset below
      }
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        // try a bare date below
      }
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /** The rules AWS applies beyond the shape, each reported against the field it concerns. */
  private static final class SemanticRules {
    private SemanticRules() {}

    static void check(JsonNode root, ObjectNode job, List<String> problems) {
      checkOperation(root.get("members").get("Operation").get("members"), job.get("Operation"),
          problems);
      checkManifestSource(job, problems);
      checkReport(job.get("Report"), problems);
      checkCsvManifestFields(job.path("Manifest").path("Spec"), problems);
      checkManifestGenerator(job.path("ManifestGenerator").path("S3JobManifestGenerator"),
          problems);
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
      }
    }

    private static void checkManifestSource(ObjectNode job, List<String> problems) {
      boolean manifest = job.has("Manifest");
      boolean generator = job.has("ManifestGenerator");
      if (!manifest && !generator) {
        problems.add("Manifest: required (or ManifestGenerator), got neither");
      } else if (manifest && generator) {
        problems.add("ManifestGenerator: must not be given together with Manifest; a job"
            + " reads exactly one of them");
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
}
