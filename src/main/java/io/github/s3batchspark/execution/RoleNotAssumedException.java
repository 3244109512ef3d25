package io.github.s3batchspark.execution;

/**
 * The job's {@code RoleArn} could not be assumed (STS refused it, or refused the session it
 * gave): no request to an object can be signed, so the job fails before any task.
 */
public final class RoleNotAssumedException extends RuntimeException {
  private final String roleArn;

  RoleNotAssumedException(String roleArn, String stsAnswer, Throwable cause) {
    super("RoleArn " + roleArn + " cannot be assumed: STS answered " + stsAnswer
        + "; check the role exists, that its trust policy lets you assume it and that you may "
        + "call sts:AssumeRole (or run with --credentials caller on a store without STS)",
        cause);
    this.roleArn = roleArn;
  }

  public String roleArn() {
    return roleArn;
  }
}
