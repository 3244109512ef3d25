package io.github.s3batchspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

class ReportLineTest {

  @Test
  void succeededTaskIsALineWithTheStatusCodeBeforeTheEmptyErrorCode() {
    assertEquals("photos,a.jpg,,succeeded,200,,Successful\n",
        ReportLine.of("photos", "a.jpg", null, "succeeded", 200, null, "Successful"));
  }

  @Test
  void failedTaskKeepsVersionStatusCodeAndErrorCodeInAmazonsOrder() {
    assertEquals("photos,b.jpg,v1,failed,404,NoSuchKey,The specified key does not exist.\n",
        ReportLine.of("photos", "b.jpg", "v1", "failed", 404, "NoSuchKey",
            "The specified key does not exist."));
  }

  @Test
  void keysArePercentEncodedWithSlashesKept() {
    assertEquals("dir/a%20b.txt", ReportLine.encodeKey("dir/a b.txt"));
    assertEquals("c%2Bd.txt", ReportLine.encodeKey("c+d.txt"));
    assertEquals("100%25.txt", ReportLine.encodeKey("100%.txt"));
    assertEquals("%C3%BC/%E6%97%A5.txt", ReportLine.encodeKey("ü/日.txt"));
    assertEquals("a%2Cb%22c", ReportLine.encodeKey("a,b\"c"));
    assertEquals("safe-_.~chars", ReportLine.encodeKey("safe-_.~chars"));
  }

  @Test
  void everyCharacterIsEncodedAsAnS3RequestPathEncodesIt() {
    for (char c = 0; c < 0x300; c++) {
      String key = "dir/" + c + "x";
      assertEquals(SdkHttpUtils.urlEncodeIgnoreSlashes(key), ReportLine.encodeKey(key),
          "key with U+" + Integer.toHexString(c));
    }
  }

  @Test
  void encodedKeysDecodeToTheExactKeyEvenWithAFormDecoder() {
    for (String key : List.of("a b+c", "50% off", "x+y z/ü", "plain")) {
      assertEquals(key, URLDecoder.decode(ReportLine.encodeKey(key), StandardCharsets.UTF_8));
    }
  }

  @Test
  void messagesWithCommasQuotesAndLineBreaksAreQuotedWithQuotesDoubled() {
    String line = ReportLine.of("b", "k", null, "failed", 500, "InternalError",
        "Lambda said: {\"error\": \"a, b\"}\nthen stopped");
    assertEquals("b,k,,failed,500,InternalError,"
        + "\"Lambda said: {\"\"error\"\": \"\"a, b\"\"}\nthen stopped\"\n", line);
    assertEquals(List.of(List.of("b", "k", "", "failed", "500", "InternalError",
        "Lambda said: {\"error\": \"a, b\"}\nthen stopped")), ReportFixtures.csvRecords(line));
  }

  @Test
  void taskWithoutHttpAnswerHasAnEmptyStatusCode() {
    assertEquals("b,k,,failed,,RequestTimeout,no answer\n",
        ReportLine.of("b", "k", null, "failed", 0, "RequestTimeout", "no answer"));
    assertEquals("b,k,,failed,,RequestTimeout,\n",
        ReportLine.of("b", "k", null, "failed", null, "RequestTimeout", null));
  }
}
