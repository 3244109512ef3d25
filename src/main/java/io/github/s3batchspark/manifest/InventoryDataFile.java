package io.github.s3batchspark.manifest;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcFile;
import org.apache.orc.TypeDescription;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.TimestampColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * One data file of a generated inventory, written row by row to a local temporary file (so an
 * executor holds one row, not the file) in the report's format as S3 Inventory writes it: gzip
 * CSV with every value quoted and the key URL-encoded, ZLIB ORC, or Snappy Parquet with
 * TIMESTAMP_MILLIS dates. {@link #finish} closes it and gives its size and MD5 for manifest.json.
 */
final class InventoryDataFile implements Closeable {
  private static final DateTimeFormatter CSV_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** A finished file: where it is on local disk, its size and its hex MD5. */
  record Finished(Path path, long size, String md5) {}

  private final InventoryConfiguration configuration;
  private final List<InventoryField> columns;
  private final Path directory;
  private final Path path;
  private final RowSink sink;
  private long rows;

  InventoryDataFile(InventoryConfiguration configuration) {
    this.configuration = configuration;
    this.columns = configuration.columns();
    try {
      this.directory = Files.createTempDirectory("s3batch-inventory");
      this.path = directory.resolve("data" + configuration.extension());
      this.sink = switch (configuration.format()) {
        case CSV -> new CsvSink(path);
        case ORC -> new OrcSink(path, configuration);
        case PARQUET -> new ParquetSink(path, configuration);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a local " + configuration.fileFormatName()
          + " file for an inventory's data", e);
    }
  }

  /** Adds one row: a value (String, Long, Boolean, Instant or null) per column. */
  void add(Object[] values) {
    try {
      sink.add(values);
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException("Writing an inventory data file failed", e);
    }
  }

  long rows() {
    return rows;
  }

  /** Closes the file; its bytes are at {@link Finished#path} until {@link #close}. */
  Finished finish() {
    try {
      sink.close();
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      try (InputStream in = new DigestInputStream(Files.newInputStream(path), md5)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return new Finished(path, Files.size(path), HexFormat.of().formatHex(md5.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("Writing an inventory data file failed", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JVM", e);
    }
  }

  /** Deletes the local file (and the checksum files Hadoop writes beside it). */
  @Override
  public void close() {
    try {
      sink.close(); // a writer left open by a failure may still create its file
    } catch (IOException | RuntimeException e) {
      // the file is deleted below either way; the failure that left it open is the one to see
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + directory, e);
    }
  }

  private interface RowSink extends Closeable {
    void add(Object[] values) throws IOException;
  }

  /** S3 Inventory's CSV: every value quoted, an absent one empty, the key URL-encoded. */
  private final class CsvSink implements RowSink {
    private final Writer out;
    private boolean closed;

    CsvSink(Path path) throws IOException {
      out = new BufferedWriter(new OutputStreamWriter(
          new GZIPOutputStream(Files.newOutputStream(path)), StandardCharsets.UTF_8));
    }

    @Override
    public void add(Object[] values) throws IOException {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < values.length; i++) {
        Object value = values[i];
        String text = value == null ? ""
            : value instanceof Instant t ? CSV_TIME.format(t)
            : columns.get(i) == InventoryField.KEY
                ? URLEncoder.encode((String) value, StandardCharsets.UTF_8)
            : value.toString();
        line.append(i == 0 ? "" : ",").append('"').append(text.replace("\"", "\"\""))
            .append('"');
      }
      out.write(line.append('\n').toString());
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        out.close();
      }
    }
  }

  /** ORC with the fileSchema's struct, a batch of rows in memory at a time. */
  private final class OrcSink implements RowSink {
    private final org.apache.orc.Writer writer;
    private final VectorizedRowBatch batch;
    private boolean closed;

    OrcSink(Path path, InventoryConfiguration configuration) throws IOException {
      TypeDescription schema = TypeDescription.fromString(configuration.fileSchema());
      writer = OrcFile.createWriter(new org.apache.hadoop.fs.Path(path.toUri()),
          OrcFile.writerOptions(new Configuration(false)).setSchema(schema)
              .compress(CompressionKind.ZLIB).overwrite(true));
      batch = schema.createRowBatch();
    }

    @Override
    public void add(Object[] values) throws IOException {
      int row = batch.size++;
      for (int i = 0; i < values.length; i++) {
        set(batch.cols[i], row, values[i]);
      }
      if (batch.size == batch.getMaxSize()) {
        writer.addRowBatch(batch);
        batch.reset();
      }
    }

    private void set(ColumnVector vector, int row, Object value) {
      if (value == null) {
        vector.noNulls = false;
        vector.isNull[row] = true;
        return;
      }
      vector.isNull[row] = false;
      if (vector instanceof TimestampColumnVector times) {
        times.set(row, InventoryField.timestamp(value));
      } else if (vector instanceof LongColumnVector longs) {
        longs.vector[row] = value instanceof Boolean b ? (b ? 1 : 0) : (Long) value;
      } else {
        ((BytesColumnVector) vector).setVal(row, ((String) value).getBytes(StandardCharsets.UTF_8));
      }
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        if (batch.size > 0) {
          writer.addRowBatch(batch);
        }
        writer.close();
      }
    }
  }

  /** Parquet with the fileSchema's message type, one record at a time. */
  private final class ParquetSink implements RowSink {
    private final ParquetWriter<Group> writer;
    private final SimpleGroupFactory groups;
    private boolean closed;

    ParquetSink(Path path, InventoryConfiguration configuration) throws IOException {
      MessageType schema = MessageTypeParser.parseMessageType(configuration.fileSchema());
      groups = new SimpleGroupFactory(schema);
      writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(path.toUri()))
          .withConf(new Configuration(false)).withType(schema)
          .withCompressionCodec(CompressionCodecName.SNAPPY)
          .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE).build();
    }

    @Override
    public void add(Object[] values) throws IOException {
      Group record = groups.newGroup();
      for (int i = 0; i < values.length; i++) {
        Object value = values[i];
        if (value instanceof Instant t) {
          record.add(i, t.toEpochMilli());
        } else if (value instanceof Long l) {
          record.add(i, l);
        } else if (value instanceof Boolean b) {
          record.add(i, b);
        } else if (value != null) {
          record.add(i, (String) value);
        }
      }
      writer.write(record);
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        writer.close();
      }
    }
  }
}
