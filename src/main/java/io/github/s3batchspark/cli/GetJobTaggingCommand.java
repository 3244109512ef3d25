package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.JobRecord;
import java.io.PrintStream;
import org.kohsuke.args4j.Option;

/** {@code get-job-tagging --job-id ID}: prints GetJobTagging's output, {@code {"Tags": [...]}}. */
public final class GetJobTaggingCommand extends JobVerb {

  @Option(name = "--job-id", metaVar = "ID", required = true, usage = "the job's id")
  String jobId;

  @Override
  public int run(PrintStream out, PrintStream err) {
    checkJobId(jobId);
    JobRecord job = checkAccount(openStore().get(jobId));
    out.println(Json.write(Json.object("Tags", job.tags())));
    return 0;
  }
}
