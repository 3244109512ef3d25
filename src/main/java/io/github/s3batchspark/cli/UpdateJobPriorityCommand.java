package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.Owner;
import java.io.PrintStream;
import org.kohsuke.args4j.Option;

/** {@code update-job-priority --job-id ID --priority N}: changes a job's priority. */
public final class UpdateJobPriorityCommand extends JobVerb {

  @Option(name = "--job-id", metaVar = "ID", required = true, usage = "the job's id")
  String jobId;

  @Option(name = "--priority", metaVar = "N", required = true,
      usage = "0 to 2147483647; higher runs first")
  int priority;

  @Override
  public int run(PrintStream out, PrintStream err) {
    checkJobId(jobId);
    if (priority < 0) {
      throw new UsageException("--priority must be between 0 and 2147483647, got " + priority);
    }
    JobRecord job = openStore().update(jobId, Owner.USER,
        stored -> checkAccount(stored).withRequestedPriority(priority));
    out.println(Json.write(Json.object("JobId", job.jobId(), "Priority", job.priority())));
    return 0;
  }
}
