package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
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
    JobSpecRules.check(root, job, problems);
    return problems;
  }

  /**
   * Every problem of {@code value} as CreateJob's member {@code member} (for example the
   * {@code Tags} that PutJobTagging replaces), each problem's path starting at the member.
   */
  public List<String> validateMember(String member, JsonNode value) {
    JsonNode shape = root.get("members").get(member);
    if (shape == null) {
      throw new IllegalArgumentException("CreateJob has no member " + member);
    }
    List<String> problems = new ArrayList<>();
    check(shape, value, member, problems, replacement -> { });
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
}
