package io.github.s3batchspark.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Splits one CSV line (RFC 4180: fields may be quoted, {@code ""} is a quote inside a quoted
 * field). Manifests URL-encode keys, so commas in keys are {@code %2C}; quotes are accepted
 * because spreadsheet tools and inventory CSVs add them.
 */
final class CsvLine {
  private CsvLine() {}

  static List<String> split(String line, Supplier<RuntimeException> unclosedQuote) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw unclosedQuote.get();
    }
    fields.add(field.toString());
    return fields;
  }
}
