package io.github.s3batchspark.execution;

import java.util.Locale;

/**
 * Whose credentials sign a job's requests to objects (the manifest, the operation's requests,
 * the report): {@link #ROLE}, the job's {@code RoleArn} assumed through STS as Amazon's service
 * does, or {@link #CALLER}, the SDK's default chain, for stores that have no STS. The job spec
 * and the job store are always read and written with the caller's own credentials.
 */
public enum SigningCredentials {
  ROLE, CALLER;

  /** The choice named {@code value} ({@code role} or {@code caller}), from {@code where}. */
  public static SigningCredentials parse(String value, String where) {
    String name = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "role" -> ROLE;
      case "caller" -> CALLER;
      default -> throw new IllegalArgumentException(where + " must be 'role' (sign as the "
          + "job's RoleArn through STS) or 'caller' (sign with your own credentials, for a store "
          + "without STS), got '" + value + "'");
    };
  }

  /** The name that {@link #parse} reads back. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
