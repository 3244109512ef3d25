package io.github.s3batchspark.cli;

import java.io.PrintStream;
import java.time.Instant;
import org.kohsuke.args4j.Option;

/**
 * {@code describe-job --job-id ID}: prints DescribeJob's output for the job, and beside it the
 * run that holds the job ({@code Run}: host, Spark application, heartbeat age) while one does.
 */
public final class DescribeJobCommand extends JobVerb {

  @Option(name = "--job-id", metaVar = "ID", required = true, usage = "the job's id")
  String jobId;

  @Override
  public int run(PrintStream out, PrintStream err) {
    checkJobId(jobId);
    out.println(Json.write(checkAccount(openStore().get(jobId))
        .toDescribeJobOutput(Instant.now())));
    return 0;
  }
}
