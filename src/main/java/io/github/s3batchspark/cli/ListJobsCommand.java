package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.JobListing;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStatus;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Set;
import org.kohsuke.args4j.Option;
import org.kohsuke.args4j.spi.StringArrayOptionHandler;

/**
 * {@code list-jobs [--job-statuses S ...]}: prints ListJobs' output, newest job first; a job whose
 * record cannot be read is left out with one warning line on stderr naming its file.
 */
public final class ListJobsCommand extends JobVerb {

  @Option(name = "--job-statuses", metaVar = "STATUS", handler = StringArrayOptionHandler.class,
      usage = "only jobs in these statuses (Active, Complete, Failed, New, Suspended, ...)")
  String[] statuses = new String[0];

  @Override
  public int run(PrintStream out, PrintStream err) {
    Set<JobStatus> filter = EnumSet.noneOf(JobStatus.class);
    for (String s : statuses) {
      try {
        filter.add(JobStatus.fromAwsName(s));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--job-statuses: " + e.getMessage());
      }
    }
    JobListing listing = openStore().list(filter);
    listing.warnings().forEach(warning -> err.println("s3batch: warning: " + warning));
    out.println(Json.write(JobRecord.toListJobsOutput(listing.jobs())));
    return 0;
  }
}
