package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.Refusal;

/** A command line that names no valid job or input: the tool prints the message and exits 2. */
final class UsageException extends RuntimeException implements Refusal {
  UsageException(String message) {
    super(message);
  }
}
