/**
 * The report stage on the driver: what a job's task results become once the executors are done.
 *
 * <p>{@link io.github.s3batchspark.report.TaskResultSchema} is the shape of a result row;
 * {@link io.github.s3batchspark.report.CompletionReportWriter} writes Amazon's completion report
 * (CSV files and {@code manifest.json}, format {@code Report_CSV_20180820});
 * {@link io.github.s3batchspark.report.ReportTable} keeps the results as a Parquet table for
 * Spark SQL, and registers it by name in the session's catalog when the job asks; {@link io.github.s3batchspark.report.ProgressSummary} is DescribeJob's progress and
 * the rule that fails a job whose tasks mostly fail.
 */
package io.github.s3batchspark.report;
