package io.github.s3batchspark.manifest;

/**
 * Keys after a common start as numbers in [0, 1), so that points can be placed between two keys
 * by arithmetic: each character is a digit of base {@value #BASE}, printable ASCII (the
 * characters keys are made of, most often), anything below a space counting as a space and
 * anything above {@code ~} as the last digit. Only {@value #DIGITS} characters count: enough to
 * tell apart the keys of one listing page, within a double's precision.
 */
final class KeyScale {
  private static final int BASE = 96;
  private static final int DIGITS = 7;
  private static final char LOWEST = ' ';

  private KeyScale() {}

  /** {@code key}'s place after {@code base} (which it starts with; 0 if it does not). */
  static double of(String base, String key) {
    if (!key.startsWith(base)) {
      return 0;
    }
    double value = 0;
    double scale = 1.0 / BASE;
    for (int i = base.length(); i < key.length() && i < base.length() + DIGITS; i++) {
      value += digit(key.charAt(i)) * scale;
      scale /= BASE;
    }
    return value;
  }

  /** The step of {@code key}'s last counted character: the least distance at its length. */
  static double unit(String base, String key) {
    return Math.pow(BASE, -Math.min(DIGITS, Math.max(1, key.length() - base.length())));
  }

  /** The key at {@code value} after {@code base}, without trailing spaces. */
  static String key(String base, double value) {
    StringBuilder key = new StringBuilder(base);
    double rest = Math.max(0, Math.min(value, 1 - 1e-12));
    for (int i = 0; i < DIGITS; i++) {
      rest *= BASE;
      int digit = (int) Math.floor(rest);
      key.append((char) (LOWEST + Math.min(BASE - 1, digit)));
      rest -= digit;
    }
    int end = key.length();
    while (end > base.length() && key.charAt(end - 1) == LOWEST) {
      end--;
    }
    return key.substring(0, end);
  }

  private static int digit(char c) {
    return c < LOWEST ? 0 : Math.min(BASE - 1, c - LOWEST);
  }
}
