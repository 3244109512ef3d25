package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.Owner;
import java.io.PrintStream;
import org.kohsuke.args4j.Option;

/**
 * {@code update-job-status --job-id ID --requested-job-status Ready|Cancelled}: confirms a job
 * that waits in Suspended (ConfirmationRequired), or cancels one that has not finished.
 */
public final class UpdateJobStatusCommand extends JobVerb {

  @Option(name = "--job-id", metaVar = "ID", required = true, usage = "the job's id")
  String jobId;

  @Option(name = "--requested-job-status", metaVar = "STATUS", required = true,
      usage = "Ready (confirm a Suspended job) or Cancelled")
  String requested;

  @Option(name = "--status-update-reason", metaVar = "TEXT", usage = "why, kept in the record")
  String reason;

  @Override
  public int run(PrintStream out, PrintStream err) {
    checkJobId(jobId);
    JobStatus target = switch (requested) {
      case "Ready" -> JobStatus.READY;
      case "Cancelled" -> JobStatus.CANCELLED;
      default -> throw new UsageException("--requested-job-status must be Ready or Cancelled, got "
          + requested);
    };
    JobRecord job = openStore().update(jobId, Owner.USER,
        stored -> checkAccount(stored).withRequestedStatus(target, reason));
    out.println(Json.write(Json.object("JobId", job.jobId(), "Status", job.status().awsName(),
        "StatusUpdateReason", reason)));
    if (job.status() == JobStatus.CANCELLING) {
      err.println("Job " + jobId + " is Cancelling: " + job.lease().holder() + " stops its tasks"
          + " within seconds, writes the report of those that ran and ends it Cancelled");
    }
    return 0;
  }
}
