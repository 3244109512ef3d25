package io.github.s3batchspark.manifest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes object keys as Amazon writes them in CSV manifests and CSV inventory reports:
 * URL-encoded in the HTML-form way ({@code java.net.URLDecoder} semantics), so {@code +} and
 * {@code %20} are a space, {@code %2B} is a plus sign, {@code %25} a percent sign, and
 * {@code %XX} sequences are the UTF-8 bytes of any other character.
 *
 * <p>Amazon's documentation: "Object keys must be URL-encoded" (Batch Operations CSV manifests)
 * and "the key name is URL-encoded and must be decoded before you can use it" (inventory CSV);
 * S3 itself writes a space as {@code +}, so a literal plus in a key must be written {@code %2B}.
 *
 * <p>Unlike {@code URLDecoder}, an escape sequence that is not valid UTF-8 is refused instead of
 * being replaced by U+FFFD: a wrong key would silently name a different object.
 */
public final class ManifestKeyDecoder {
  private ManifestKeyDecoder() {}

  /**
   * The exact key that {@code encoded} stands for.
   *
   * @throws IllegalArgumentException naming the position of a broken {@code %} escape, or saying
   *     that the escapes do not form UTF-8
   */
  public static String decode(String encoded) {
    if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
      return encoded;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    int runStart = 0;
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c != '%' && c != '+') {
        continue;
      }
      bytes.writeBytes(encoded.substring(runStart, i).getBytes(StandardCharsets.UTF_8));
      if (c == '+') {
        bytes.write(' ');
      } else {
        bytes.write(hexByte(encoded, i));
        i += 2;
      }
      runStart = i + 1;
    }
    bytes.writeBytes(encoded.substring(runStart).getBytes(StandardCharsets.UTF_8));
    return strictUtf8(bytes.toByteArray(), encoded);
  }

  private static int hexByte(String encoded, int percentAt) {
    if (percentAt + 2 >= encoded.length()) {
      throw new IllegalArgumentException("'%' at position " + (percentAt + 1)
          + " is not followed by two hex digits (write a literal % as %25)");
    }
    int high = Character.digit(encoded.charAt(percentAt + 1), 16);
    int low = Character.digit(encoded.charAt(percentAt + 2), 16);
    if (high < 0 || low < 0) {
      throw new IllegalArgumentException("'%" + encoded.substring(percentAt + 1, percentAt + 3)
          + "' at position " + (percentAt + 1)
          + " is not a hex escape (write a literal % as %25)");
    }
    return (high << 4) | low;
  }

  private static String strictUtf8(byte[] bytes, String encoded) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("its %-escapes are not UTF-8 bytes of a key", e);
    }
  }
}
