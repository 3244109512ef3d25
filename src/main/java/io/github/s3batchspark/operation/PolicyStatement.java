package io.github.s3batchspark.operation;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code Allow} statement of the IAM policy a job's role needs: the actions, on the
 * resources (ARNs), and a {@code Sid} that says why, which IAM shows back to whoever reads the
 * policy. Built by each operation for its own requests ({@link ObjectOperation#permissions})
 * and by the job for the manifest and the report.
 *
 * @param sid       letters and digits only, as IAM requires
 * @param actions   e.g. {@code s3:PutObjectTagging}, in the order a reader expects them
 * @param resources ARNs, possibly with {@code *}
 */
public record PolicyStatement(String sid, List<String> actions, List<String> resources) {
  private static final Pattern SID = Pattern.compile("[A-Za-z0-9]+");

  public PolicyStatement {
    if (sid == null || !SID.matcher(sid).matches()) {
      throw new IllegalArgumentException("a policy statement's Sid is letters and digits, got "
          + sid);
    }
    if (actions.isEmpty() || resources.isEmpty()) {
      throw new IllegalArgumentException(sid + ": a statement needs actions and resources");
    }
    actions = List.copyOf(actions);
    resources = List.copyOf(resources);
  }

  /** {@code allow("TagObjects", objects, "s3:PutObjectTagging", ...)}. */
  public static PolicyStatement allow(String sid, List<String> resources, String... actions) {
    return new PolicyStatement(sid, List.of(actions), resources);
  }
}
