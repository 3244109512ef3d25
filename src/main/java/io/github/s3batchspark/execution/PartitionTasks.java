package io.github.s3batchspark.execution;

import io.github.s3batchspark.operation.ObjectOperation;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * The execution stage's Spark function: one {@link TaskRunner} per partition, fed lazily from the
 * manifest rows and handing back one result row per task.
 *
 * <p>Nothing per object outlives its request: rows are turned into tasks as the window pulls
 * them, and results leave as soon as they end. The SDK clients are the executor JVM's shared
 * ones, looked up by settings.
 */
public final class PartitionTasks implements MapPartitionsFunction<Row, Row> {
  private final ObjectOperation operation;
  private final ClientSettings clientSettings;
  private final RunnerSettings runnerSettings;
  private final ManifestColumns columns;
  private final SerializableResultRow toRow;
  private final TaskSignals signals;

  /** Turns a result into the row of the results table. */
  public interface SerializableResultRow extends Function<TaskResult, Row>, java.io.Serializable {}

  /**
   * Positions of the canonical manifest columns in the input rows (resolved on the driver), and
   * of the other columns that tasks carry by name (empty unless the operation reads them).
   */
  public record ManifestColumns(int taskId, int bucket, int key, int versionId, int etag,
      Map<String, Integer> others) implements java.io.Serializable {

    public ManifestColumns {
      others = others == null ? Map.of() : Map.copyOf(others);
    }

    public ManifestColumns(int taskId, int bucket, int key, int versionId, int etag) {
      this(taskId, bucket, key, versionId, etag, Map.of());
    }

    ObjectTask task(Row row) {
      return new ObjectTask(row.getLong(taskId), row.getString(bucket), row.getString(key),
          versionId < 0 || row.isNullAt(versionId) ? null : row.getString(versionId),
          etag < 0 || row.isNullAt(etag) ? null : row.getString(etag), othersOf(row));
    }

    private Map<String, String> othersOf(Row row) {
      if (others.isEmpty()) {
        return Map.of();
      }
      Map<String, String> values = new HashMap<>();
      others.forEach((name, i) -> {
        if (!row.isNullAt(i)) {
          values.put(name, String.valueOf(row.get(i)));
        }
      });
      return values;
    }
  }

  public PartitionTasks(ObjectOperation operation, ClientSettings clientSettings,
      RunnerSettings runnerSettings, ManifestColumns columns, SerializableResultRow toRow) {
    this(operation, clientSettings, runnerSettings, columns, toRow, TaskSignals.none());
  }

  /** A function whose runners count for the driver and obey its stop signal. */
  public PartitionTasks(ObjectOperation operation, ClientSettings clientSettings,
      RunnerSettings runnerSettings, ManifestColumns columns, SerializableResultRow toRow,
      TaskSignals signals) {
    this.signals = signals;
    this.operation = operation;
    this.clientSettings = clientSettings;
    this.runnerSettings = runnerSettings;
    this.columns = columns;
    this.toRow = toRow;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    TaskRunner runner = new TaskRunner(operation, ExecutorClients.get(clientSettings),
        runnerSettings, PrefixConcurrency.shared(), signals);
    Iterator<TaskResult> results = runner.run(map(rows, columns::task));
    return map(results, toRow);
  }

  private static <A, B> Iterator<B> map(Iterator<A> in, Function<A, B> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public B next() {
        return f.apply(in.next());
      }
    };
  }
}
