package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.JobRunner;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.kohsuke.args4j.Option;

/**
 * {@code create-job --cli-input-json file://job.json}: validates the job and records it, printing
 * {@code {"JobId": ...}}. A job with ConfirmationRequired waits in Suspended; the others wait in
 * New until {@code run --job-id} runs them.
 */
public final class CreateJobCommand extends JobVerb {

  @Option(name = "--cli-input-json", metaVar = "JSON", required = true,
      usage = "the CreateJob request: file://path, or the JSON itself")
  String input;

  @Override
  public int run(PrintStream out, PrintStream err) {
    ClientSettings settings = clientSettings(ClientSettings.defaults());
    Configuration hadoop = new Configuration();
    JobSpec spec = checkAccount(readSpec(input, hadoop, settings));
    JobStore store = openStore(hadoop, settings);
    JobRecord job = JobRunner.create(store, spec, settings);
    out.println(Json.write(Json.object("JobId", job.jobId())));
    return 0;
  }
}
