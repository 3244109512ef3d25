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
}
