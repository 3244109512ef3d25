package io.github.s3batchspark.console;

/** A request the console refuses, with the HTTP status and the one line the page shows. */
final class ConsoleException extends RuntimeException {
  private final int status;

  ConsoleException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
