package io.github.s3batchspark.manifest;

/**
 * What is wrong with one line of a CSV manifest, before the line's number is known: the reader
 * of a split knows only where the line is in its split, the driver knows how many lines come
 * before the split. Light (no stack trace) and serialisable, so that executors hand it back as a
 * value.
 */
final class BrokenLine extends RuntimeException {
  private static final String FIX = "; fix the manifest (no object was touched)";

  private final String what;
  private final String advice;

  private BrokenLine(String what, String advice) {
    super(what, null, false, false);
    this.what = what;
    this.advice = advice;
  }

  /** A line that is text but not a manifest line: {@code what} follows "line N". */
  static BrokenLine because(String what) {
    return new BrokenLine(what, FIX);
  }

  /** A line whose bytes are not UTF-8. */
  static BrokenLine notUtf8() {
    return new BrokenLine("is not UTF-8 text: a CSV manifest lists URL-encoded keys in UTF-8", "");
  }

  /** The message naming the manifest and the line. */
  String message(String uri, long lineNumber) {
    return "Manifest " + uri + " line " + lineNumber + " " + what + advice;
  }

  ManifestException refusal(String uri, long lineNumber) {
    return new ManifestException(message(uri, lineNumber));
  }
}
