package io.github.s3batchspark.bench;

import java.util.Map;
import java.util.stream.Collectors;

/** The one JSON line the benchmark ends with: flat, numbers, strings and nulls. */
final class Json {
  private Json() {}

  static String object(Map<String, Object> fields) {
    return fields.entrySet().stream()
        .map(e -> quote(e.getKey()) + ": " + value(e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return quote(v.toString());
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
