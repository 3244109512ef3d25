package io.github.s3batchspark.job;

import java.io.Serializable;

/**
 * Every path of one job's directory in the job store, named once: each stage leaves its output
 * here, so that a later run (this process's or another's) finds it.
 *
 * @param root where the store keeps the job ({@link JobStore#jobDirectory(String)})
 */
public record JobDirectory(String root) implements Serializable {

  public static JobDirectory of(JobStore store, String jobId) {
    return new JobDirectory(store.jobDirectory(jobId).toString());
  }

  /** The manifest with its task ids, as Parquet: built once, so task ids never change. */
  public String manifest() {
    return root + "/manifest";
  }

  /**
   * A source's rows as read, before they are numbered: kept only while the manifest is
   * prepared, for a source that would read differently twice (a listing, a table scan).
   */
  public String sourceRows() {
    return root + "/manifest.read";
  }

  /** Every run's results, {@code run=<millis>/wave=<n>}, each wave committed when it ends. */
  public String results() {
    return root + "/results";
  }

  /** Where one run writes the results of one wave. */
  public String wave(long run, int wave) {
    return results() + "/run=" + run + "/wave=" + wave;
  }

  /** The report table: every task's latest result, as Parquet. */
  public String reportTable() {
    return root + "/report-table";
  }

  /** The file that steers one run's tasks: stop, share of the window ({@link JobControl}). */
  public String steeringFile(String runId) {
    return root + "/control/run-" + runId;
  }
}
