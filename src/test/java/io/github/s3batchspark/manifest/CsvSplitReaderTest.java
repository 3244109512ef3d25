package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lines of a manifest read split by split are the lines, and line numbers, of the manifest
 * read in one stream by {@code BufferedReader}, whatever the split size: the splitting is a
 * matter of bytes, so it is checked on bytes, for every split size.
 */
class CsvSplitReaderTest {
  private String lastRefusal;
  private static final List<String> MANIFESTS = List.of(
      "b,k1\nb,k2\nb,k3\n",
      "b,k1\r\nb,k2\r\n\r\nb,k3",
      "\uFEFFb,first\r\nb,second\n",
      "b,lone\rb,cr\r\rb,ends\r",
      "\n\n\nb,after-blanks\n\n",
      "\r\n\r\n",
      "x1,\"b\",\"docs/a+b.txt\",extra\nx2,\"b\",\"caf%C3%A9\",\"\"\"q\"\"\"\n",
      "b,caf\u00e9/\u65e5\u672c\u8a9e\nb,\u00fc\u00f6\r\nb,z",
      "no line end at all",
      "");

  @Test
  void everySplitSizeReadsTheLinesAndNumbersOfOneStream() throws IOException {
    for (String manifest : MANIFESTS) {
      byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
      List<String> expected = bufferedReaderLines(bytes);
      for (int splitBytes = 1; splitBytes <= bytes.length + 1; splitBytes++) {
        assertEquals(expected, linesInSplits(bytes, splitBytes),
            "split size " + splitBytes + " of " + quoted(manifest));
      }
    }
  }

  @Test
  void byteOrderMarkIsDroppedFromTheFirstLineOnly() throws IOException {
    byte[] bytes = "\uFEFFb,a\n\uFEFFb,c\n".getBytes(StandardCharsets.UTF_8);

    assertEquals(List.of("1:b,a", "2:\uFEFFb,c"), linesInSplits(bytes, 3));
  }

  @Test
  void bytesThatAreNotUtf8AreABrokenLineCountedWhereTheyAre() {
    byte[] bytes = concat("b,a\nb,b\n".getBytes(StandardCharsets.UTF_8),
        new byte[] {'b', ',', (byte) 0xC3, (byte) 0x28, '\n'});

    assertThrows(BrokenLine.class, () -> linesInSplits(bytes, 5));

    assertEquals("Manifest s3://m/m.csv line 3 is not UTF-8 text: a CSV manifest lists"
        + " URL-encoded keys in UTF-8", lastRefusal);
  }

  @Test
  void lineLongerThanAnyManifestLineIsRefusedWithoutBufferingIt() {
    byte[] bytes = concat("b,a\n".getBytes(StandardCharsets.UTF_8),
        "x".repeat(CsvSplitReader.MAX_LINE_BYTES + 10).getBytes(StandardCharsets.UTF_8));

    assertThrows(BrokenLine.class, () -> linesInSplits(bytes, 1 << 22));

    assertTrue(lastRefusal.startsWith("Manifest s3://m/m.csv line 2 is longer than 1048576"
        + " bytes"), lastRefusal);
  }

  /** Every split read in order, numbered as the manifest reader numbers them: "n:line". */
  private List<String> linesInSplits(byte[] bytes, int splitBytes) throws IOException {
    List<String> lines = new ArrayList<>();
    long firstLine = 1;
    for (CsvManifestSplit split : CsvManifestSplit.plan(bytes.length, splitBytes)) {
      int from = (int) split.readFrom();
      try (CsvSplitReader reader = new CsvSplitReader(
          new ByteArrayInputStream(bytes, from, bytes.length - from), split)) {
        try {
          for (String line = reader.next(); line != null; line = reader.next()) {
            lines.add((firstLine + reader.lines() - 1) + ":" + line);
          }
        } catch (BrokenLine e) {
          lastRefusal = e.message("s3://m/m.csv", firstLine + reader.lines() - 1);
          throw e;
        }
        firstLine += reader.lines();
      }
    }
    return lines;
  }

  private static List<String> bufferedReaderLines(byte[] bytes) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new ByteArrayInputStream(bytes), StandardCharsets.UTF_8.newDecoder()))) {
      int n = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        n++;
        lines.add(n + ":" + (n == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static String quoted(String s) {
    return "'" + s.replace("\r", "\\r").replace("\n", "\\n") + "'";
  }
}
