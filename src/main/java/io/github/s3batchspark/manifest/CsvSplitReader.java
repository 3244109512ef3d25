package io.github.s3batchspark.manifest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the lines that start in one {@link CsvManifestSplit}, in order, from a stream that begins
 * at the split's {@link CsvManifestSplit#readFrom} byte.
 *
 * <p>Lines end as {@code BufferedReader} ends them: at LF, CRLF or a lone CR, so a manifest read
 * in splits has the very lines (and line numbers) it has read as one stream. Line starts are
 * decided on bytes: LF and CR never occur inside a multi-byte UTF-8 character. Each line is then
 * decoded strictly as UTF-8; the byte-order mark a spreadsheet puts before the first line is
 * dropped. Only the current line is held, and a line longer than {@link #MAX_LINE_BYTES} (no
 * manifest line is: a key has at most 1,024 bytes) is refused rather than buffered.
 */
final class CsvSplitReader implements Closeable {
  /** The longest line read; a longer one is a broken line. */
  static final int MAX_LINE_BYTES = 1 << 20;
  private static final String BYTE_ORDER_MARK = "\uFEFF";
  private static final int NOTHING = -2;

  private final CsvManifestSplit split;
  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
  private int buffered;
  private int at;
  private long position;
  private int peeked = NOTHING;
  private boolean started;
  private long lines;
  private byte[] line = new byte[256];

  CsvSplitReader(InputStream from, CsvManifestSplit split) {
    this.in = from;
    this.split = split;
    this.position = split.readFrom();
  }

  /**
   * The next line that starts in the split, without its line end, or null after the last one.
   *
   * @throws BrokenLine when the line is not UTF-8 or is too long; the reader is then spent
   */
  String next() throws IOException {
    if (!started) {
      started = true;
      skipToFirstLine();
    }
    if (position >= split.end() || peek() < 0) {
      return null; // the next line starts in the next split, or the manifest has ended
    }
    lines++;
    int length = readLine();
    String text = decode(length);
    return lines == 1 && split.start() == 0 && text.startsWith(BYTE_ORDER_MARK)
        ? text.substring(1) : text;
  }

  /**
   * Lines met so far, blank ones included, the last one returned or refused: that line is line
   * {@code lines() - 1} of the split, counting from 0.
   */
  long lines() {
    return lines;
  }

  /** A range that starts after a line end starts with a line; otherwise with the next one. */
  private void skipToFirstLine() throws IOException {
    if (split.start() == 0) {
      return;
    }
    int before = read();
    if (before == '\r') {
      skipLineFeed();
    } else if (before != '\n' && before >= 0) {
      while (true) {
        int b = read();
        if (b < 0 || b == '\n') {
          return;
        }
        if (b == '\r') {
          skipLineFeed();
          return;
        }
      }
    }
  }

  /** Reads one line into {@link #line}, consuming its line end; returns its length. */
  private int readLine() throws IOException {
    int length = 0;
    while (true) {
      int b = read();
      if (b < 0 || b == '\n') {
        return length;
      }
      if (b == '\r') {
        skipLineFeed();
        return length;
      }
      if (length == MAX_LINE_BYTES) {
        throw BrokenLine.because("is longer than " + MAX_LINE_BYTES + " bytes: a manifest line"
            + " names one object (is this a CSV manifest?)");
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, 2 * length));
      }
      line[length++] = (byte) b;
    }
  }

  private String decode(int length) {
    try {
      return utf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
    } catch (CharacterCodingException e) {
      throw BrokenLine.notUtf8();
    }
  }

  private void skipLineFeed() throws IOException {
    if (peek() == '\n') {
      read();
    }
  }

  private int peek() throws IOException {
    if (peeked == NOTHING) {
      peeked = fill() ? buffer[at++] & 0xff : -1;
    }
    return peeked;
  }

  private boolean fill() throws IOException {
    while (at == buffered) {
      int n = in.read(buffer, 0, buffer.length);
      if (n < 0) {
        return false;
      }
      buffered = n;
      at = 0;
    }
    return true;
  }

  private int read() throws IOException {
    int b = peek();
    peeked = NOTHING;
    if (b >= 0) {
      position++;
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
