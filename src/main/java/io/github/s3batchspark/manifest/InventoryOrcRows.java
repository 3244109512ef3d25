package io.github.s3batchspark.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.TimestampColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;
import org.apache.orc.TypeDescription;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The rows of one ORC inventory data file, read from a {@link LocalCopy} of its checked bytes
 * in batches of ORC's default size, so memory does not grow with the file. The file's own schema
 * must have fileSchema's columns, each of the type S3 Inventory writes; its timestamps are UTC.
 * The copy is the caller's to delete should the constructor refuse the file.
 */
final class InventoryOrcRows implements InventoryFileRows {
  private final CheckedDataFile file;
  private final InventoryColumns columns;
  private final LocalCopy copy;
  private final Reader reader;
  private final RecordReader records;
  private final VectorizedRowBatch batch;
  private final int[] positions;
  private int row;

  InventoryOrcRows(CheckedDataFile file, InventoryColumns columns, LocalCopy copy) {
    this.file = file;
    this.columns = columns;
    this.copy = copy;
    try {
      this.reader = OrcFile.createReader(new org.apache.hadoop.fs.Path(copy.path().toUri()),
          OrcFile.readerOptions(new Configuration(false)).useUTCTimestamp(true));
    } catch (IOException | RuntimeException e) {
      throw new ManifestException("Inventory data file " + file.uri() + " is not an ORC file ("
          + ManifestException.oneLine(e.getMessage()) + "); manifest.json says fileFormat ORC",
          e);
    }
    TypeDescription schema = reader.getSchema();
    this.positions = columns.positions(schema.getFieldNames(), file);
    checkTypes(schema);
    try {
      this.records = reader.rows();
    } catch (IOException e) {
      throw damaged(e);
    }
    this.batch = schema.createRowBatch();
  }

  private void checkTypes(TypeDescription schema) {
    List<String> names = schema.getFieldNames();
    List<TypeDescription> types = schema.getChildren();
    for (int i = 0; i < names.size(); i++) {
      DataType wanted = InventoryColumns.type(columns.canonical().get(positions[i]));
      columns.checkType(file, positions[i], names.get(i), types.get(i).toString(),
          holds(types.get(i).getCategory(), wanted));
    }
  }

  private static boolean holds(TypeDescription.Category category, DataType wanted) {
    return switch (category) {
      case LONG, INT, SHORT, BYTE -> wanted.equals(DataTypes.LongType);
      case BOOLEAN -> wanted.equals(DataTypes.BooleanType);
      case TIMESTAMP, TIMESTAMP_INSTANT -> wanted.equals(DataTypes.TimestampType);
      case STRING, VARCHAR, CHAR -> wanted.equals(DataTypes.StringType);
      default -> false;
    };
  }

  @Override
  public boolean hasNext() {
    try {
      while (row >= batch.size) {
        if (!records.nextBatch(batch)) {
          return false;
        }
        row = 0;
      }
      return true;
    } catch (IOException | RuntimeException e) {
      throw damaged(e);
    }
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < positions.length; i++) {
      values[positions[i]] = value(batch.cols[i], positions[i]);
    }
    row++;
    return RowFactory.create(values);
  }

  private Object value(ColumnVector vector, int column) {
    int at = vector.isRepeating ? 0 : row;
    if (!vector.noNulls && vector.isNull[at]) {
      return null;
    }
    if (vector instanceof LongColumnVector longs) {
      long value = longs.vector[at];
      return InventoryColumns.type(columns.canonical().get(column)).equals(DataTypes.BooleanType)
          ? Boolean.valueOf(value != 0) : Long.valueOf(value);
    }
    if (vector instanceof TimestampColumnVector times) {
      Timestamp value = new Timestamp(times.time[at]);
      value.setNanos(times.nanos[at]);
      return value;
    }
    BytesColumnVector bytes = (BytesColumnVector) vector;
    return new String(bytes.vector[at], bytes.start[at], bytes.length[at],
        StandardCharsets.UTF_8);
  }

  private ManifestException damaged(Exception e) {
    return new ManifestException("Inventory data file " + file.uri() + " is a damaged ORC file ("
        + ManifestException.oneLine(e.getMessage()) + "); use a complete report", e);
  }

  @Override
  public void close() throws IOException {
    try {
      if (records != null) {
        records.close();
      }
      reader.close();
    } finally {
      copy.close();
    }
  }
}
