package io.github.s3batchspark.report;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and what to report: the {@code Report} section of a CreateJob request.
 *
 * @param enabled     {@code Report.Enabled}: when false nothing is written
 * @param bucketArn   {@code Report.Bucket}, an S3 bucket ARN such as {@code arn:aws:s3:::reports}
 * @param prefix      {@code Report.Prefix}, may be null or empty
 * @param format      {@code Report.Format}; null means {@link #FORMAT}, the only one Amazon has
 * @param reportScope {@code Report.ReportScope}: {@link #ALL_TASKS} or {@link #FAILED_TASKS_ONLY}
 * @param expectedBucketOwner {@code Report.ExpectedBucketOwner}, the account that must own the
 *                    report bucket, sent with every request to it; null sends none
 */
public record CompletionReportSpec(
    boolean enabled, String bucketArn, String prefix, String format, String reportScope,
    String expectedBucketOwner) implements Serializable {

  /** A report to a bucket whatever account owns it. */
  public CompletionReportSpec(boolean enabled, String bucketArn, String prefix, String format,
      String reportScope) {
    this(enabled, bucketArn, prefix, format, reportScope, null);
  }

  public static final String FORMAT = "Report_CSV_20180820";
  public static final String ALL_TASKS = "AllTasks";
  public static final String FAILED_TASKS_ONLY = "FailedTasksOnly";

  private static final Pattern BUCKET_ARN = Pattern.compile("arn:[a-z-]+:s3:::([^/:]+)");

  /** An enabled report of every task. */
  public static CompletionReportSpec allTasks(String bucketArn, String prefix) {
    return new CompletionReportSpec(true, bucketArn, prefix, FORMAT, ALL_TASKS);
  }

  /** An enabled report of the failed tasks only. */
  public static CompletionReportSpec failedTasksOnly(String bucketArn, String prefix) {
    return new CompletionReportSpec(true, bucketArn, prefix, FORMAT, FAILED_TASKS_ONLY);
  }

  /** This report, written only to a bucket that account {@code accountId} owns. */
  public CompletionReportSpec withExpectedBucketOwner(String accountId) {
    return new CompletionReportSpec(enabled, bucketArn, prefix, format, reportScope, accountId);
  }

  public static CompletionReportSpec disabled() {
    return new CompletionReportSpec(false, null, null, FORMAT, ALL_TASKS);
  }

  /**
   * Refuses a spec that cannot be written, naming the field; a disabled spec is always valid.
   *
   * @throws IllegalArgumentException naming the field and the value that is wrong
   */
  public CompletionReportSpec validate() {
    if (!enabled) {
      return this;
    }
    bucket();
    if (format != null && !FORMAT.equals(format)) {
      throw new IllegalArgumentException("Report.Format must be " + FORMAT + ", got '" + format
          + "'");
    }
    if (!ALL_TASKS.equals(reportScope) && !FAILED_TASKS_ONLY.equals(reportScope)) {
      throw new IllegalArgumentException("Report.ReportScope must be " + ALL_TASKS + " or "
          + FAILED_TASKS_ONLY + ", got '" + reportScope + "'");
    }
    return this;
  }

  /** The bucket name in {@link #bucketArn()}. */
  public String bucket() {
    Matcher m = bucketArn == null ? null : BUCKET_ARN.matcher(bucketArn);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("Report.Bucket must be an S3 bucket ARN such as "
          + "arn:aws:s3:::my-reports, got '" + bucketArn + "'");
    }
    return m.group(1);
  }

  public boolean failedTasksOnly() {
    return FAILED_TASKS_ONLY.equals(reportScope);
  }

  /** The folder of one job's report: {@code <prefix>/job-<jobId>}, or {@code job-<jobId>}. */
  public String jobFolder(String jobId) {
    String p = prefix == null ? "" : prefix.replaceAll("/+$", "");
    return p.isEmpty() ? "job-" + jobId : p + "/job-" + jobId;
  }
}
