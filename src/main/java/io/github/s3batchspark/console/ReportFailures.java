package io.github.s3batchspark.console;

import io.github.s3batchspark.report.TaskResultSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * A job's failed tasks grouped by error code, read from its report table's Parquet files with
 * parquet-hadoop's reader, so that the console needs no Spark. The table is partitioned by
 * {@code task_status} (as Spark writes it, {@code task_status=failed/part-...parquet}), so only
 * the failed partition is read. A job with no committed report table yet (not run) has no
 * groups. The groups of a table are kept until it is written again (its {@code _SUCCESS}
 * changes), so that pages polling every two seconds do not read every failure each time.
 */
final class ReportFailures {
  static final int EXAMPLES = 5;
  private static final String FAILED = TaskResultSchema.TASK_STATUS + "=failed";
  private static final String NO_CODE = "(none)";

  private final Configuration conf;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  /** The groups of one commit of a table. */
  private record Read(long committedAt, List<FailureGroup> groups) {}

  ReportFailures(Configuration conf) {
    this.conf = conf;
  }

  /** The groups of the table at {@code reportTable}, the largest first. */
  List<FailureGroup> read(String reportTable) {
    Path table = new Path(reportTable);
    try {
      FileSystem fs = table.getFileSystem(conf);
      Path committed = new Path(table, "_SUCCESS");
      if (!fs.exists(committed)) {
        return List.of();
      }
      long committedAt = fs.getFileStatus(committed).getModificationTime();
      Read known = reads.get(reportTable);
      if (known != null && known.committedAt() == committedAt) {
        return known.groups();
      }
      List<FailureGroup> groups = groups(fs, new Path(table, FAILED));
      reads.put(reportTable, new Read(committedAt, groups));
      return groups;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the report table " + reportTable + ": "
          + e.getMessage(), e);
    }
  }

  private List<FailureGroup> groups(FileSystem fs, Path failed) throws IOException {
    if (!fs.exists(failed)) {
      return List.of();
    }
    Map<String, Tally> tallies = new LinkedHashMap<>();
    for (FileStatus file : fs.listStatus(failed, p -> p.getName().endsWith(".parquet"))) {
      tallyFailures(file.getPath(), tallies);
    }
    return tallies.values().stream().map(Tally::group)
        .sorted(Comparator.comparingLong(FailureGroup::count).reversed()).toList();
  }

  private void tallyFailures(Path file, Map<String, Tally> tallies) throws IOException {
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file)
        .withConf(conf).build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        String code = text(row, TaskResultSchema.ERROR_CODE);
        tallies.computeIfAbsent(code == null ? NO_CODE : code, Tally::new).add(row);
      }
    }
  }

  private static String text(Group row, String column) {
    return row.getType().containsField(column) && row.getFieldRepetitionCount(column) > 0
        ? row.getString(column, 0) : null;
  }

  private static Integer number(Group row, String column) {
    return row.getType().containsField(column) && row.getFieldRepetitionCount(column) > 0
        ? row.getInteger(column, 0) : null;
  }

  /** One code's count so far. */
  private static final class Tally {
    private final String code;
    private final List<FailureGroup.Example> examples = new ArrayList<>();
    private Integer httpStatus;
    private long count;

    Tally(String code) {
      this.code = code;
    }

    void add(Group row) {
      if (count++ == 0) {
        httpStatus = number(row, TaskResultSchema.HTTP_STATUS_CODE);
      }
      if (examples.size() < EXAMPLES) {
        examples.add(new FailureGroup.Example(text(row, TaskResultSchema.BUCKET),
            text(row, TaskResultSchema.KEY), text(row, TaskResultSchema.RESULT_MESSAGE)));
      }
    }

    FailureGroup group() {
      return new FailureGroup(code, httpStatus, count, examples);
    }
  }
}
