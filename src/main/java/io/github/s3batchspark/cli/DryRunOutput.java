package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.report.TaskResultSchema;
import java.io.PrintStream;
import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Prints a dry run: one compact JSON object per task on stdout (so that jq and grep can read a
 * million of them), streamed one partition at a time, and a count on stderr.
 */
final class DryRunOutput {
  private DryRunOutput() {}

  static int print(Dataset<Row> results, JobSpec spec, PrintStream out, PrintStream err) {
    long tasks = 0;
    Iterator<Row> rows = results.toLocalIterator();
    while (rows.hasNext()) {
      Row r = rows.next();
      out.println(Json.object(
          "TaskId", r.getAs(TaskResultSchema.TASK_ID),
          "Bucket", r.getAs(TaskResultSchema.BUCKET),
          "Key", r.getAs(TaskResultSchema.KEY),
          "VersionId", r.getAs(TaskResultSchema.VERSION_ID),
          "WouldDo", r.getAs(TaskResultSchema.RESULT_MESSAGE)));
      tasks++;
    }
    err.printf("Dry run of %s: %,d tasks; nothing was changed and no job was recorded%n",
        spec.operationName(), tasks);
    return 0;
  }
}
