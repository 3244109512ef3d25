package io.github.s3batchspark.manifest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One byte range of a CSV manifest: the unit in which executors read it. A line belongs to the
 * split its first byte falls in, as with Hadoop's {@code LineRecordReader}, so every line is read
 * by exactly one split, whole: a split skips the rest of the line its range starts in and reads
 * past its end to finish its last line ({@link CsvSplitReader}).
 *
 * @param index     the split's place in the manifest, from 0
 * @param start     the first byte of the range
 * @param end       the byte after the range
 * @param firstLine the number (from 1) of the first line that starts in the range, 0 while the
 *                  lines before it have not been counted
 * @param firstRow  the task id of the range's first row: how many rows (lines that are not
 *                  blank) come before it
 */
record CsvManifestSplit(int index, long start, long end, long firstLine, long firstRow)
    implements Serializable {

  /** Consecutive splits of {@code splitBytes} covering {@code size} bytes; none for nothing. */
  static List<CsvManifestSplit> plan(long size, long splitBytes) {
    if (splitBytes < 1) {
      throw new IllegalArgumentException("a manifest split needs at least one byte, got "
          + splitBytes);
    }
    List<CsvManifestSplit> splits = new ArrayList<>();
    for (long start = 0; start < size; start += splitBytes) {
      splits.add(new CsvManifestSplit(splits.size(), start, Math.min(size, start + splitBytes), 0,
          0));
    }
    return splits;
  }

  /** The same range, knowing the number of its first line and the task id of its first row. */
  CsvManifestSplit numberedFrom(long line, long row) {
    return new CsvManifestSplit(index, start, end, line, row);
  }

  /** Where a reader of this split starts: one byte early, to see whether a line starts here. */
  long readFrom() {
    return Math.max(0, start - 1);
  }
}
