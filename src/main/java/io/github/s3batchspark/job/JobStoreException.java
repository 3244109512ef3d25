package io.github.s3batchspark.job;

/** The job store could not do what was asked; the message names the job and the store. */
public class JobStoreException extends RuntimeException {
  public JobStoreException(String message) {
    super(message);
  }

  public JobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
