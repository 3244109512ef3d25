package io.github.s3batchspark.manifest;

/**
 * S3's order of keys: "List results are always returned in UTF-8 binary order". Java's
 * {@code String.compareTo} compares UTF-16 units, which puts a supplementary character (an emoji,
 * U+1F600) before U+E000..U+FFFF; comparing code points is the UTF-8 byte order.
 */
public final class KeyOrder {
  private KeyOrder() {}

  /** Negative, zero or positive as {@code a} sorts before, with or after {@code b} in S3. */
  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
