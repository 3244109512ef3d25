package io.github.s3batchspark.job;

/**
 * A value given as a job id is not one this tool makes. Refused before it is used in a path, so
 * that nothing is read or written for it; the command line exits 2, as for any refused input.
 */
public final class JobIdException extends IllegalArgumentException implements Refusal {
  private final String value;

  JobIdException(String value, String shown, String expected) {
    super(shown + " is not a job id: expected " + expected);
    this.value = value;
  }

  /** The value as given (may hold any character: print {@link #getMessage()} instead). */
  public String value() {
    return value;
  }
}
