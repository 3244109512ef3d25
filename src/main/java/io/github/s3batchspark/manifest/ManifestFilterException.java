package io.github.s3batchspark.manifest;

/**
 * A {@code ManifestFilter.Where} that is refused: it does not parse, names a column the manifest
 * does not have, uses a function or construct outside the filter language
 * ({@link FilterLanguage}), is too long or too deep, or is not a true/false condition. The
 * message is one line that quotes the filter, names what was wrong and lists what is allowed.
 */
public final class ManifestFilterException extends ManifestException {
  private static final long serialVersionUID = 1L;
  /** The job spec field every refusal is about. */
  public static final String FIELD = "ManifestFilter.Where";

  public ManifestFilterException(String message) {
    super(message);
  }

  /** The field path of the job spec that holds the refused filter. */
  public String field() {
    return FIELD;
  }
}
