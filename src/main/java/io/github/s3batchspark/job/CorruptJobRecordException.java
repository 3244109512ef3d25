package io.github.s3batchspark.job;

/**
 * A stored job record cannot be read back (truncated, edited by hand, from another tool): the
 * message names the file, so that it can be restored or the job's directory removed.
 */
public final class CorruptJobRecordException extends JobStoreException {
  private final String file;

  public CorruptJobRecordException(String file, String reason, Throwable cause) {
    super("job record " + file + " is corrupt (" + reason + "): restore it, or delete the job's"
        + " directory to forget the job", cause);
    this.file = file;
  }

  public String file() {
    return file;
  }
}
