package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.Owner;
import java.io.PrintStream;
import java.util.List;
import org.kohsuke.args4j.Option;

/** {@code delete-job-tagging --job-id ID}: removes every tag of the job; prints nothing. */
public final class DeleteJobTaggingCommand extends JobVerb {

  @Option(name = "--job-id", metaVar = "ID", required = true, usage = "the job's id")
  String jobId;

  @Override
  public int run(PrintStream out, PrintStream err) {
    checkJobId(jobId);
    openStore().update(jobId, Owner.USER, stored -> checkAccount(stored).withTags(List.of()));
    return 0;
  }
}
