package io.github.s3batchspark.operation;

import java.util.Set;

/**
 * Checks on a job spec's operation fields, made when an operation is built on the driver, so
 * that a spec S3 would refuse for every object fails the job before any task runs, naming the
 * field (the validator checks the shape; these are the rules between fields).
 */
final class SpecField {
  private SpecField() {}

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": required");
    }
    return value;
  }

  /** Null passes: the field is optional. */
  static String oneOf(String field, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw new IllegalArgumentException(field + ": must be one of " + allowed + ", got "
          + value);
    }
    return value;
  }
}
