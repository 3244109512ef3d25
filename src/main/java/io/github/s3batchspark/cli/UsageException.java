package io.github.s3batchspark.cli;

/** A command line that names no valid job or input: the tool prints the message and exits 2. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
