package io.github.s3batchspark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of botocore's s3control model that the server answers: the job operations (method,
 * request URI, input and output shapes) and every shape their XML bodies use, exported by
 * {@code scripts/dev/generate-api-shapes.py} to {@code s3control-api.json}. Read once per JVM.
 */
final class ApiModel {
  private static final String RESOURCE = "s3control-api.json";

  /** Where a member travels (null: in the XML body), the name it has there, and its shape. */
  record Ref(String shape, String location, String locationName) {
    /** The name on the wire: the element, header or query parameter name. */
    String wireName(String memberName) {
      return locationName != null ? locationName : memberName;
    }
  }

  /** One shape: structure members, or a list's element, or a map's key and value. */
  record Shape(String name, String type, Map<String, Ref> members, Ref member, Ref key,
      Ref value, boolean flattened) {}

  /** One operation: {@code GET /v20180820/jobs/{id}} and its input and output shapes. */
  record Operation(String name, String method, String requestUri, String input, String output) {}

  private static final class Loaded {
    static final ApiModel MODEL = load();
  }

  private final String xmlNamespace;
  private final Map<String, Operation> operations;
  private final Map<String, Shape> shapes;

  private ApiModel(String xmlNamespace, Map<String, Operation> operations,
      Map<String, Shape> shapes) {
    this.xmlNamespace = xmlNamespace;
    this.operations = operations;
    this.shapes = shapes;
  }

  static ApiModel get() {
    return Loaded.MODEL;
  }

  String xmlNamespace() {
    return xmlNamespace;
  }

  Map<String, Operation> operations() {
    return operations;
  }

  Shape shape(String name) {
    Shape shape = shapes.get(name);
    if (shape == null) {
      throw new IllegalStateException("shape " + name + " is missing from " + RESOURCE
          + ": regenerate it with scripts/dev/generate-api-shapes.py");
    }
    return shape;
  }

  private static ApiModel load() {
    JsonNode root;
    try (InputStream in = ApiModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the "
            + "classpath: regenerate it with scripts/dev/generate-api-shapes.py");
      }
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    Map<String, Operation> operations = new LinkedHashMap<>();
    root.get("operations").fields().forEachRemaining(e -> operations.put(e.getKey(),
        new Operation(e.getKey(), e.getValue().get("method").asText(),
            e.getValue().get("requestUri").asText(), e.getValue().get("input").asText(),
            e.getValue().path("output").asText(null))));
    Map<String, Shape> shapes = new LinkedHashMap<>();
    root.get("shapes").fields().forEachRemaining(e -> shapes.put(e.getKey(),
        shape(e.getKey(), e.getValue())));
    return new ApiModel(root.get("xmlNamespace").asText(), operations, shapes);
  }

  private static Shape shape(String name, JsonNode node) {
    Map<String, Ref> members = new LinkedHashMap<>();
    node.path("members").fields().forEachRemaining(m -> members.put(m.getKey(), ref(m.getValue())));
    return new Shape(name, node.get("type").asText(), members, ref(node.get("member")),
        ref(node.get("key")), ref(node.get("value")), node.path("flattened").asBoolean(false));
  }

  private static Ref ref(JsonNode node) {
    if (node == null) {
      return null;
    }
    return new Ref(node.get("shape").asText(), node.path("location").asText(null),
        node.path("locationName").asText(null));
  }
}
