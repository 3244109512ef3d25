package io.github.s3batchspark.job;

import java.util.List;

/**
 * A job JSON that cannot run as given. Carries every problem found, each naming the field path
 * ({@code Operation.S3PutObjectTagging.TagSet[3].Key: required}); the message lists them one per
 * line so that a user fixes them all in one pass.
 */
public final class JobSpecException extends IllegalArgumentException implements Refusal {
  private final List<String> problems;

  public JobSpecException(List<String> problems) {
    super(String.join("\n", problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a JobSpecException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public static JobSpecException of(String problem) {
    return new JobSpecException(List.of(problem));
  }

  /** The problems in the order found: shape problems in document order, then semantic ones. */
  public List<String> problems() {
    return problems;
  }
}
