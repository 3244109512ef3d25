package io.github.s3batchspark.manifest;

/**
 * A manifest that cannot be used: unreadable, changed since the job was specified, or broken.
 * Thrown before any object is touched; the message names the manifest (or its data file and
 * line) and what to fix.
 */
public class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code text} on one line: a refusal is a job's one-line FailureReason. */
  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /**
   * The manifest's own refusal inside {@code failure}, or null: a manifest read by executors
   * refuses there, and reaches the driver wrapped in Spark's exception for the failed stage.
   */
  public static ManifestException within(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ManifestException refusal) {
        return refusal;
      }
    }
    return null;
  }
}
