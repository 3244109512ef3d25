package io.github.s3batchspark.cli;

import java.io.PrintStream;
import org.kohsuke.args4j.Option;

/** {@code describe-job --job-id ID}: prints DescribeJob's output for the job. */
public final class DescribeJobCommand extends JobVerb {

  @Option(name = "--job-id", metaVar = "ID", required = true, usage = "the job's id")
  String jobId;

  @Override
  public int run(PrintStream out, PrintStream err) {
    checkJobId(jobId);
    out.println(Json.write(checkAccount(openStore().get(jobId)).toDescribeJobOutput()));
    return 0;
  }
}
