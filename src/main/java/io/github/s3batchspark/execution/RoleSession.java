package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * The role a job's requests are signed as, and the STS session name that says which job signed
 * them (CloudTrail shows it next to every request).
 *
 * @param roleArn     the job spec's {@code RoleArn}
 * @param sessionName {@code s3batch-<jobId>}, within STS's 64 characters and its alphabet
 */
public record RoleSession(String roleArn, String sessionName) implements Serializable {
  /** STS's longest RoleSessionName. */
  static final int MAX_SESSION_NAME = 64;

  /** The session of job {@code jobId} as role {@code roleArn}. */
  public static RoleSession of(String roleArn, String jobId) {
    if (roleArn == null || roleArn.isBlank()) {
      throw new IllegalArgumentException("RoleArn is missing: the job's requests are signed as "
          + "its role; name an IAM role, or run with --credentials caller on a store without "
          + "STS");
    }
    // STS allows [\w+=,.@-] in a session name; a job id has no other characters, a label might
    String name = ("s3batch-" + jobId).replaceAll("[^\\w+=,.@-]", "-");
    return new RoleSession(roleArn.trim(), name.substring(0, Math.min(name.length(),
        MAX_SESSION_NAME)));
  }
}
