package io.github.s3batchspark.report;

import java.util.List;

/**
 * What {@link CompletionReportWriter} wrote: the manifest and the results files it lists,
 * succeeded files first. {@link #notWritten()} when the job asked for no report.
 *
 * @param bucket      the report bucket, null when nothing was written
 * @param manifestKey the key of {@code manifest.json}, null when nothing was written
 * @param files       the results files, in the manifest's order
 */
public record CompletionReport(String bucket, String manifestKey, List<ResultsFile> files) {

  public CompletionReport {
    files = List.copyOf(files);
  }

  public static CompletionReport notWritten() {
    return new CompletionReport(null, null, List.of());
  }

  public boolean written() {
    return manifestKey != null;
  }

  /** Tasks listed in all the results files together. */
  public long lines() {
    return files.stream().mapToLong(ResultsFile::lines).sum();
  }
}
