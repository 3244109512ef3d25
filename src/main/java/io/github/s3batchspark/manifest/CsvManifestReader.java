package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads an {@code S3BatchOperations_CSV_20180820} manifest: header-less CSV lines whose columns
 * are named by {@code Manifest.Spec.Fields}, keys URL-encoded.
 *
 * <p><b>How it scales.</b> The driver never holds the manifest's lines. It HEADs the object
 * (ETag, version, size) and cuts it into byte splits of at most 16 MiB ({@link CsvManifestSplit});
 * the executors read the splits through the SDK, every GET pinned to the version and ETag the
 * driver checked (s3a could pin neither). The manifest is read in two passes:
 * <ol>
 *   <li>the check, here, before anything runs: each split parses all its lines and hands back
 *       only how many it has and its first broken line. The driver numbers the splits' first
 *       lines from the counts and refuses the whole manifest at its first broken line, naming
 *       it, as a read in one stream would;</li>
 *   <li>the rows, lazily, whenever Spark uses the result: one partition per split, each row
 *       with its task id, from 0 in manifest order: the check counted each split's rows.</li>
 * </ol>
 * The driver keeps one small record per split, whatever the number of lines; an executor holds
 * one line and a 64 KiB buffer per split it reads.
 */
final class CsvManifestReader {
  static final long MIN_SPLIT_BYTES = 1 << 20;
  static final long MAX_SPLIT_BYTES = 16 << 20;
  /**
   * The object columns and the task id: the first pass counts every split's rows, so the rows
   * come numbered in manifest order, as {@link TaskIds} would number them, without the pass
   * over the whole manifest that {@code zipWithIndex} makes to count them again.
   */
  static final StructType NUMBERED_COLUMNS = ManifestSchema.OBJECT_COLUMNS
      .add(ManifestSchema.TASK_ID, DataTypes.LongType, false);

  private final SparkSession spark;
  private final ClientSettings settings;
  private final ManifestObject manifest;
  private final CsvManifestLine parser;

  private CsvManifestReader(SparkSession spark, ClientSettings settings, ManifestObject manifest,
      ManifestRequest request) {
    this.spark = spark;
    this.settings = settings;
    this.manifest = manifest;
    this.parser = new CsvManifestLine(request.fields());
  }

  static Dataset<Row> read(SparkSession spark, S3Client s3, ClientSettings settings,
      ManifestRequest request) {
    ManifestObject manifest = ManifestObject.verify(s3, request.location());
    return new CsvManifestReader(spark, settings, manifest, request)
        .rows(splitBytes(spark, manifest.size()));
  }

  /** {@link #read} in splits of {@code splitBytes}, which tests make tiny. */
  static Dataset<Row> read(SparkSession spark, S3Client s3, ClientSettings settings,
      ManifestRequest request, long splitBytes) {
    ManifestObject manifest = ManifestObject.verify(s3, request.location());
    return new CsvManifestReader(spark, settings, manifest, request).rows(splitBytes);
  }

  /** Enough splits to keep every core reading, none above 16 MiB or (unless alone) below 1 MiB. */
  private static long splitBytes(SparkSession spark, long size) {
    long perCore = (size + spark.sparkContext().defaultParallelism() - 1)
        / spark.sparkContext().defaultParallelism();
    return Math.max(MIN_SPLIT_BYTES, Math.min(MAX_SPLIT_BYTES, perCore));
  }

  private Dataset<Row> rows(long splitBytes) {
    List<CsvManifestSplit> splits = check(CsvManifestSplit.plan(manifest.size(), splitBytes));
    ManifestObject object = manifest;
    ClientSettings clients = settings;
    CsvManifestLine lines = parser;
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(splits, Math.max(1, splits.size()))
        .mapPartitions(part -> new SplitRows(object, clients, lines, part));
    return spark.createDataFrame(rows, NUMBERED_COLUMNS);
  }

  /** The first pass: every line parsed, the splits numbered, the first broken line refused. */
  private List<CsvManifestSplit> check(List<CsvManifestSplit> splits) {
    if (splits.isEmpty()) {
      return splits;
    }
    ManifestObject object = manifest;
    ClientSettings clients = settings;
    CsvManifestLine lines = parser;
    List<SplitCheck> checks = new ArrayList<>(
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(splits, splits.size())
            .map(split -> SplitCheck.of(object, clients, lines, split))
            .collect());
    checks.sort(Comparator.comparingInt(SplitCheck::index));
    String uri = manifest.location().uri();
    List<CsvManifestSplit> numbered = new ArrayList<>(splits.size());
    long firstLine = 1;
    long firstRow = 0;
    for (SplitCheck check : checks) {
      if (check.failure() != null) {
        throw new ManifestException(check.failure());
      }
      if (check.broken() != null) {
        throw check.broken().refusal(uri, firstLine + check.lines() - 1);
      }
      numbered.add(splits.get(check.index()).numberedFrom(firstLine, firstRow));
      firstLine += check.lines();
      firstRow += check.rows();
    }
    return numbered;
  }

  private static CsvSplitReader open(S3Client s3, ManifestObject manifest,
      CsvManifestSplit split) {
    return new CsvSplitReader(manifest.openAt(s3, split.readFrom(), split.end()), split);
  }

  /**
   * What the first pass learnt about one split: how many lines start in it (blank ones
   * included) and how many of them are rows, and, when one is broken, that line, as the last
   * one counted; or why the split could not be read.
   */
  record SplitCheck(int index, long lines, long rows, BrokenLine broken, String failure)
      implements Serializable {

    static SplitCheck of(ManifestObject manifest, ClientSettings settings,
        CsvManifestLine parser, CsvManifestSplit split) {
      try (S3Client s3 = ExecutorClients.syncClient(settings);
          CsvSplitReader lines = open(s3, manifest, split)) {
        long rows = 0;
        try {
          for (String line = lines.next(); line != null; line = lines.next()) {
            if (!CsvManifestLine.isBlank(line)) {
              parser.row(line, rows++);
            }
          }
        } catch (BrokenLine e) {
          return new SplitCheck(split.index(), lines.lines(), rows, e, null);
        }
        return new SplitCheck(split.index(), lines.lines(), rows, null, null);
      } catch (ManifestException e) {
        return new SplitCheck(split.index(), 0, 0, null, e.getMessage());
      } catch (SdkException e) {
        return new SplitCheck(split.index(), 0, 0, null,
            ManifestObject.unreachable(manifest.location(), e).getMessage());
      } catch (IOException | UncheckedIOException e) {
        return new SplitCheck(split.index(), 0, 0, null, "Reading manifest "
            + manifest.location().uri() + " failed in bytes " + split.start() + " to "
            + split.end() + ": " + e.getMessage());
      }
    }
  }

  /**
   * The second pass over one partition (one split): its rows, streamed from S3 as Spark pulls
   * them. The stream is closed at its end, or with the Spark task that stops reading early.
   */
  private static final class SplitRows extends LookAhead<Row> {
    private final ManifestObject manifest;
    private final ClientSettings settings;
    private final CsvManifestLine parser;
    private final Iterator<CsvManifestSplit> splits;
    private CsvManifestSplit split;
    private S3Client s3;
    private CsvSplitReader lines;
    private long nextTaskId;

    SplitRows(ManifestObject manifest, ClientSettings settings, CsvManifestLine parser,
        Iterator<CsvManifestSplit> splits) {
      this.manifest = manifest;
      this.settings = settings;
      this.parser = parser;
      this.splits = splits;
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskCompletionListener) context -> close());
      }
    }

    @Override
    protected Row computeNext() {
      while (lines != null || openNextSplit()) {
        String line = nextLine();
        if (line == null) {
          close();
        } else if (!CsvManifestLine.isBlank(line)) {
          return row(line);
        }
      }
      return null;
    }

    private boolean openNextSplit() {
      if (!splits.hasNext()) {
        return false;
      }
      split = splits.next();
      nextTaskId = split.firstRow();
      s3 = ExecutorClients.syncClient(settings);
      lines = open(s3, manifest, split);
      return true;
    }

    private String nextLine() {
      try {
        return lines.next();
      } catch (BrokenLine e) {
        throw e.refusal(manifest.location().uri(), lineNumber());
      } catch (IOException e) {
        throw new UncheckedIOException("Reading manifest " + manifest.location().uri()
            + " failed at line " + lineNumber(), e);
      }
    }

    private Row row(String line) {
      try {
        return parser.row(line, nextTaskId++);
      } catch (BrokenLine e) {
        throw e.refusal(manifest.location().uri(), lineNumber());
      }
    }

    private long lineNumber() {
      return split.firstLine() + lines.lines() - 1;
    }

    private void close() {
      try {
        if (lines != null) {
          lines.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Closing manifest " + manifest.location().uri(), e);
      } finally {
        lines = null;
        if (s3 != null) {
          s3.close();
          s3 = null;
        }
      }
    }
  }
}
