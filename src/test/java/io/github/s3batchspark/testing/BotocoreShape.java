package io.github.s3batchspark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One input shape of an AWS API as botocore (the AWS CLI's model) defines it, read through
 * {@code python3}, and the check of a JSON value against it member by member: types, unknown
 * and required members, unions, enums, lengths, ranges and patterns. botocore's own parameter
 * validation skips enums and patterns; this check does not, so that a misspelt enum value fails
 * a test rather than a user's first call.
 */
public final class BotocoreShape {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The shape as a tree of plain JSON (botocore's Shape objects do not leave Python). */
  private static final String DUMP = """
      import json, sys, botocore, botocore.session
      def tree(s, seen):
          t = {"type": s.type_name, "name": s.name}
          for k in ("min", "max", "pattern", "union", "idempotencyToken"):
              if k in s.metadata:
                  t[k] = s.metadata[k]
          if getattr(s, "enum", None):
              t["enum"] = list(s.enum)
          if s.name in seen:
              return t
          seen = seen | {s.name}
          if s.type_name == "structure":
              t["members"] = {n: tree(m, seen) for n, m in s.members.items()}
              t["required"] = list(s.required_members)
          elif s.type_name == "list":
              t["member"] = tree(s.member, seen)
          elif s.type_name == "map":
              t["key"] = tree(s.key, seen)
              t["value"] = tree(s.value, seen)
          return t
      model = botocore.session.get_session().get_service_model(sys.argv[1])
      shape = sys.argv[2]
      if shape.startswith("operation:"):
          s = model.operation_model(shape[len("operation:"):]).input_shape
      else:
          s = model.shape_for(shape)
      print(json.dumps({"botocore": botocore.__version__, "shape": tree(s, frozenset())}))
      """;

  private final String service;
  private final String botocoreVersion;
  private final JsonNode root;

  private BotocoreShape(String service, String botocoreVersion, JsonNode root) {
    this.service = service;
    this.botocoreVersion = botocoreVersion;
    this.root = root;
  }

  /** A named shape of {@code service}'s model, e.g. {@code of("emr", "StepConfig")}. */
  public static BotocoreShape of(String service, String shapeName) {
    return load(service, shapeName);
  }

  /** The input shape of one operation, e.g. {@code input("emr-serverless", "StartJobRun")}. */
  public static BotocoreShape input(String service, String operation) {
    return load(service, "operation:" + operation);
  }

  private static BotocoreShape load(String service, String shape) {
    try {
      Process p = new ProcessBuilder("python3", "-c", DUMP, service, shape)
          .redirectErrorStream(false).start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("python3 could not read botocore's " + service
            + " model (" + shape + "): " + err.strip());
      }
      JsonNode answer = JSON.readTree(out);
      return new BotocoreShape(service, answer.get("botocore").asText(), answer.get("shape"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run python3 to read botocore: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Where the shape comes from, for messages: {@code emr StepConfig (botocore 1.43.11)}. */
  public String describe() {
    return service + " " + root.get("name").asText() + " (botocore " + botocoreVersion + ")";
  }

  /**
   * Everything in {@code value} that the model refuses, one line each, named by its path
   * ({@code [0].HadoopJarStep.Jar: required member missing}); empty when it conforms.
   * Idempotency tokens are not required: the AWS CLI and SDKs fill them in.
   */
  public List<String> problems(JsonNode value) {
    List<String> found = new ArrayList<>();
    check(root, value, "", found);
    return found;
  }

  /** Problems of each element of a JSON list of this shape (the AWS CLI's list arguments). */
  public List<String> problemsOfEach(JsonNode list) {
    if (!list.isArray()) {
      return List.of("(top): expected a JSON list of " + describe() + ", got " + kind(list));
    }
    List<String> found = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      check(root, list.get(i), "[" + i + "]", found);
    }
    return found;
  }

  private static void check(JsonNode shape, JsonNode value, String path, List<String> found) {
    String type = shape.get("type").asText();
    switch (type) {
      case "structure" -> structure(shape, value, path, found);
      case "list" -> list(shape, value, path, found);
      case "map" -> map(shape, value, path, found);
      case "string" -> string(shape, value, path, found);
      case "integer", "long" -> number(shape, value, value.isIntegralNumber(), path, found);
      case "float", "double" -> number(shape, value, value.isNumber(), path, found);
      case "boolean" -> expect(value.isBoolean(), "a boolean", value, path, found);
      case "timestamp" -> expect(value.isTextual() || value.isNumber(), "a timestamp", value,
          path, found);
      case "blob" -> expect(value.isTextual(), "a base64 string", value, path, found);
      default -> found.add(at(path) + "botocore type " + type + " is not checked here");
    }
  }

  private static void structure(JsonNode shape, JsonNode value, String path,
      List<String> found) {
    if (!expect(value.isObject(), "an object (" + shape.get("name").asText() + ")", value, path,
        found)) {
      return;
    }
    JsonNode members = shape.get("members");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode member = members.get(field.getKey());
      if (member == null) {
        found.add(at(path + "." + field.getKey()) + "unknown member of "
            + shape.get("name").asText() + " (members: " + names(members) + ")");
      } else {
        check(member, field.getValue(), path + "." + field.getKey(), found);
      }
    }
    for (JsonNode required : shape.get("required")) {
      JsonNode member = members.get(required.asText());
      if (!value.has(required.asText()) && !member.path("idempotencyToken").asBoolean()) {
        found.add(at(path + "." + required.asText()) + "required member missing");
      }
    }
    if (shape.path("union").asBoolean() && value.size() != 1) {
      found.add(at(path) + shape.get("name").asText() + " is a union: set exactly one of "
          + names(members) + ", got " + value.size());
    }
  }

  private static void list(JsonNode shape, JsonNode value, String path, List<String> found) {
    if (!expect(value.isArray(), "a list", value, path, found)) {
      return;
    }
    bounds(shape, value.size(), "items", path, found);
    for (int i = 0; i < value.size(); i++) {
      check(shape.get("member"), value.get(i), path + "[" + i + "]", found);
    }
  }

  private static void map(JsonNode shape, JsonNode value, String path, List<String> found) {
    if (!expect(value.isObject(), "an object (map)", value, path, found)) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      check(shape.get("key"), JSON.getNodeFactory().textNode(entry.getKey()),
          path + "{key " + entry.getKey() + "}", found);
      check(shape.get("value"), entry.getValue(), path + "." + entry.getKey(), found);
    }
  }

  private static void string(JsonNode shape, JsonNode value, String path, List<String> found) {
    if (!expect(value.isTextual(), "a string", value, path, found)) {
      return;
    }
    String text = value.asText();
    if (shape.has("enum") && !contains(shape.get("enum"), text)) {
      found.add(at(path) + "\"" + text + "\" is not one of " + shape.get("enum"));
    }
    bounds(shape, text.codePointCount(0, text.length()), "characters", path, found);
    if (shape.has("pattern") && !Pattern.compile(shape.get("pattern").asText()).matcher(text)
        .find()) {
      found.add(at(path) + "\"" + text + "\" does not match " + shape.get("pattern").asText());
    }
  }

  private static void number(JsonNode shape, JsonNode value, boolean ok, String path,
      List<String> found) {
    if (expect(ok, "a " + shape.get("type").asText(), value, path, found)) {
      bounds(shape, value.asDouble(), "", path, found);
    }
  }

  private static void bounds(JsonNode shape, double size, String unit, String path,
      List<String> found) {
    if (shape.has("min") && size < shape.get("min").asDouble()) {
      found.add(at(path) + "at least " + shape.get("min").asText() + " " + unit + ", got "
          + (long) size);
    }
    if (shape.has("max") && size > shape.get("max").asDouble()) {
      found.add(at(path) + "at most " + shape.get("max").asText() + " " + unit + ", got "
          + (long) size);
    }
  }

  private static boolean expect(boolean ok, String what, JsonNode value, String path,
      List<String> found) {
    if (!ok) {
      found.add(at(path) + "expected " + what + ", got " + kind(value));
    }
    return ok;
  }

  private static boolean contains(JsonNode array, String text) {
    for (JsonNode n : array) {
      if (n.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }

  private static String names(JsonNode members) {
    List<String> names = new ArrayList<>();
    members.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  private static String kind(JsonNode value) {
    return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }

  private static String at(String path) {
    return (path.isEmpty() ? "(top)" : path.startsWith(".") ? path.substring(1) : path) + ": ";
  }
}
