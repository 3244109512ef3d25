package io.github.s3batchspark.manifest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The rows of one Parquet inventory data file, read record by record from a {@link LocalCopy}
 * of its checked bytes (one row group's pages in memory at a time). The file's own schema must
 * have fileSchema's columns, each of the type S3 Inventory writes: strings as binary, size as
 * int64, dates as int64 timestamps (S3 Inventory's TIMESTAMP_MILLIS; INT96 is read too), flags
 * as booleans. The copy is the caller's to delete should the constructor refuse the file.
 */
final class InventoryParquetRows extends LookAhead<Row> implements InventoryFileRows {
  /** Days from the Julian day 0 of INT96 timestamps to 1970-01-01. */
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588;

  private final CheckedDataFile file;
  private final InventoryColumns columns;
  private final LocalCopy copy;
  private final MessageType schema;
  private final int[] positions;
  private final ParquetReader<Group> reader;

  InventoryParquetRows(CheckedDataFile file, InventoryColumns columns, LocalCopy copy) {
    this.file = file;
    this.columns = columns;
    this.copy = copy;
    Configuration conf = new Configuration(false);
    Path path = new Path(copy.path().toUri());
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
      this.schema = footer.getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw new ManifestException("Inventory data file " + file.uri() + " is not a Parquet file"
          + " (" + ManifestException.oneLine(e.getMessage()) + "); manifest.json says"
          + " fileFormat Parquet", e);
    }
    List<String> names = schema.getFields().stream().map(Type::getName).toList();
    this.positions = columns.positions(names, file);
    checkTypes();
    try {
      this.reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build();
    } catch (IOException e) {
      throw damaged(e);
    }
  }

  private void checkTypes() {
    for (int i = 0; i < positions.length; i++) {
      Type field = schema.getType(i);
      DataType wanted = InventoryColumns.type(columns.canonical().get(positions[i]));
      columns.checkType(file, positions[i], field.getName(), field.toString().trim(),
          field.isPrimitive() && !field.isRepetition(Type.Repetition.REPEATED)
              && holds(field.asPrimitiveType(), wanted));
    }
  }

  private static boolean holds(PrimitiveType type, DataType wanted) {
    boolean timestamp = type.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation;
    return switch (type.getPrimitiveTypeName()) {
      case INT64 -> wanted.equals(timestamp ? DataTypes.TimestampType : DataTypes.LongType);
      case INT32 -> wanted.equals(DataTypes.LongType) && type.getLogicalTypeAnnotation() == null;
      case INT96 -> wanted.equals(DataTypes.TimestampType);
      case BOOLEAN -> wanted.equals(DataTypes.BooleanType);
      case BINARY -> wanted.equals(DataTypes.StringType);
      default -> false;
    };
  }

  @Override
  protected Row computeNext() {
    Group record = read();
    return record == null ? null : row(record);
  }

  /** The next record, or null after the last. */
  private Group read() {
    try {
      return reader.read();
    } catch (IOException | RuntimeException e) {
      throw damaged(e);
    }
  }

  private Row row(Group record) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < positions.length; i++) {
      values[positions[i]] = record.getFieldRepetitionCount(i) == 0 ? null : value(record, i);
    }
    return RowFactory.create(values);
  }

  private Object value(Group record, int field) {
    PrimitiveType type = schema.getType(field).asPrimitiveType();
    return switch (type.getPrimitiveTypeName()) {
      case INT64 -> type.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation t
          ? timestamp(record.getLong(field, 0), t.getUnit()) : Long.valueOf(record.getLong(field, 0));
      case INT32 -> Long.valueOf(record.getInteger(field, 0));
      case INT96 -> int96(record.getInt96(field, 0).toByteBuffer());
      case BOOLEAN -> record.getBoolean(field, 0);
      default -> record.getBinary(field, 0).toStringUsingUTF8();
    };
  }

  private static Timestamp timestamp(long value, LogicalTypeAnnotation.TimeUnit unit) {
    long nanos = switch (unit) {
      case MILLIS -> TimeUnit.MILLISECONDS.toNanos(value);
      case MICROS -> TimeUnit.MICROSECONDS.toNanos(value);
      case NANOS -> value;
    };
    Timestamp time = new Timestamp(Math.floorDiv(nanos, 1_000_000L));
    time.setNanos((int) Math.floorMod(nanos, 1_000_000_000L));
    return time;
  }

  // INT96: nanoseconds of the day, then the Julian day, little-endian (Impala's, Hive's, Spark's)
  private static Timestamp int96(ByteBuffer bytes) {
    ByteBuffer le = bytes.order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = le.getLong();
    long day = le.getInt() - JULIAN_DAY_OF_EPOCH;
    return timestamp(TimeUnit.DAYS.toNanos(day) + nanosOfDay, LogicalTypeAnnotation.TimeUnit.NANOS);
  }

  private ManifestException damaged(Exception e) {
    return new ManifestException("Inventory data file " + file.uri() + " is a damaged Parquet"
        + " file (" + ManifestException.oneLine(e.getMessage()) + "); use a complete report", e);
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      copy.close();
    }
  }
}
