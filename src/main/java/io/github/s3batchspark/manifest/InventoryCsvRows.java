package io.github.s3batchspark.manifest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The rows of one CSV inventory data file, streamed from its checked bytes: gzip (as S3
 * Inventory writes them; a file without the gzip header is read as plain text), one object per
 * line, every value quoted, keys URL-encoded, the columns those of fileSchema in order.
 *
 * <p>A line is parsed as it is read, so a file is never held; a line longer than
 * {@link #MAX_LINE_CHARS} is refused rather than buffered. Whatever is wrong (a gzip stream cut
 * short, a line with another number of values than fileSchema has columns, a Size that is not a
 * number, a key that is not URL-encoded) is refused on one line naming the file and the line.
 */
final class InventoryCsvRows extends LookAhead<Row> implements InventoryFileRows {
  /** The longest line read: an object's line, even with its access control list, is far less. */
  static final int MAX_LINE_CHARS = 1 << 20;

  private final CheckedDataFile file;
  private final InventoryColumns columns;
  private final InputStream raw;
  private final Reader text;
  private final char[] buffer = new char[1 << 16];
  private final StringBuilder line = new StringBuilder();
  private final int keyColumn;
  private int buffered;
  private int at;
  private long lineNumber;

  InventoryCsvRows(CheckedDataFile file, InventoryColumns columns, InputStream in) {
    this.file = file;
    this.columns = columns;
    this.raw = in;
    this.keyColumn = columns.canonical().indexOf(ManifestSchema.KEY);
    try {
      this.text = new InputStreamReader(gunzipped(new BufferedInputStream(in)),
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT));
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  @Override
  protected Row computeNext() {
    for (String read = readLine(); read != null; read = readLine()) {
      if (!read.isBlank()) {
        return row(read);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }

  private static InputStream gunzipped(BufferedInputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private Row row(String read) {
    List<String> values = CsvLine.split(read, () -> broken("has a quote that is not closed"));
    if (values.size() != columns.size()) {
      throw broken("has " + values.size() + " values but fileSchema lists " + columns.size()
          + " columns " + columns.listed() + "; the file does not match its manifest.json");
    }
    Object[] row = new Object[values.size()];
    for (int i = 0; i < row.length; i++) {
      try {
        row[i] = i == keyColumn ? key(values.get(i)) : columns.fromText(i, values.get(i));
      } catch (IllegalArgumentException e) {
        throw broken("has " + e.getMessage() + "; the file does not match its manifest.json");
      }
    }
    return RowFactory.create(row);
  }

  private String key(String encoded) {
    try {
      return ManifestKeyDecoder.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw broken("has key '" + encoded + "' that is not URL-encoded correctly: "
          + e.getMessage());
    }
  }

  /** The next line without its line end, or null at the end of the file. */
  private String readLine() {
    line.setLength(0);
    try {
      while (true) {
        if (at == buffered) {
          buffered = text.read(buffer);
          at = 0;
          if (buffered < 0) {
            buffered = 0;
            return line.isEmpty() ? null : counted();
          }
        }
        char c = buffer[at++];
        if (c == '\n') {
          return counted();
        }
        if (c != '\r') {
          if (line.length() == MAX_LINE_CHARS) {
            lineNumber++;
            throw broken("is longer than " + MAX_LINE_CHARS + " characters: an inventory line"
                + " lists one object (is this a CSV inventory data file?)");
          }
          line.append(c);
        }
      }
    } catch (IOException e) {
      lineNumber++;
      throw unreadable(e);
    }
  }

  private String counted() {
    lineNumber++;
    return line.toString();
  }

  private ManifestException broken(String what) {
    return new ManifestException("Inventory data file " + file.uri() + " line " + lineNumber
        + " " + what);
  }

  private ManifestException unreadable(IOException e) {
    String where = lineNumber == 0 ? "" : " at line " + lineNumber;
    if (e instanceof CharacterCodingException) {
      return new ManifestException("Inventory data file " + file.uri() + " is not UTF-8 text"
          + where + "; S3 Inventory writes UTF-8", e);
    }
    if (e instanceof ZipException || e instanceof java.io.EOFException) {
      return new ManifestException("Inventory data file " + file.uri() + " is not a whole gzip"
          + " file (" + ManifestException.oneLine(e.getMessage()) + where + "): it was cut short"
          + " or damaged when it was written; use a complete report", e);
    }
    return new ManifestException("Inventory data file " + file.uri() + " could not be read"
        + where + ": " + ManifestException.oneLine(e.getMessage()), e);
  }
}
