package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestKeyDecodingTest {

  @Test
  void plusAndPercentTwentyAreSpacesAndPercentTwoBIsAPlus() {
    assertEquals("a b c", ManifestKeyDecoder.decode("a+b%20c"));
    assertEquals("1+1=2", ManifestKeyDecoder.decode("1%2B1%3D2"));
    assertEquals("100%", ManifestKeyDecoder.decode("100%25"));
  }

  @Test
  void keysWithoutEscapesAreTakenAsTheyAre() {
    assertEquals("photos/2024/img_01.jpg", ManifestKeyDecoder.decode("photos/2024/img_01.jpg"));
  }

  @Test
  void everyKeyEncodedTheWayAmazonEncodesRoundTrips() {
    for (String key : List.of("with space", "plus+sign", "per%cent", "caf\u00e9/\u65e5\u672c",
        "emoji \ud83d\ude00", "comma,quote\"", "a+b c%2B", "trailing/")) {
      String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
      assertEquals(key, ManifestKeyDecoder.decode(encoded), encoded);
    }
  }

  @Test
  void unencodedUnicodeIsKept() {
    assertEquals("caf\u00e9 menu", ManifestKeyDecoder.decode("caf\u00e9+menu"));
  }

  @Test
  void brokenEscapeIsRefusedWithItsPosition() {
    var e = assertThrows(IllegalArgumentException.class, () -> ManifestKeyDecoder.decode("a%zzb"));
    assertTrue(e.getMessage().contains("position 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ManifestKeyDecoder.decode("ends%2"));
    assertThrows(IllegalArgumentException.class, () -> ManifestKeyDecoder.decode("ends%"));
  }

  @Test
  void escapesThatAreNotUtf8AreRefusedInsteadOfReplaced() {
    var e = assertThrows(IllegalArgumentException.class, () -> ManifestKeyDecoder.decode("%C3"));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }
}
