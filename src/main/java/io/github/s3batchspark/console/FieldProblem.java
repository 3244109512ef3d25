package io.github.s3batchspark.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One problem of a pasted job JSON, split into the field it names and what is wrong, so that the
 * page shows it beside the field: the parser's problems read {@code Field.Path[0]: message}.
 *
 * @param field   the field path, or null when the problem is the JSON as a whole
 * @param message what is wrong and what to do
 */
record FieldProblem(String field, String message) {
  private static final Pattern FIELD = Pattern.compile("([A-Za-z][A-Za-z0-9_.\\[\\]]*): (.*)",
      Pattern.DOTALL);

  static FieldProblem of(String problem) {
    Matcher m = FIELD.matcher(problem);
    return m.matches() ? new FieldProblem(m.group(1), m.group(2))
        : new FieldProblem(null, problem);
  }

  ObjectNode toJson() {
    return JobViews.JSON.createObjectNode().put("field", field).put("message", message);
  }
}
