package io.github.s3batchspark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.JobListing;
import io.github.s3batchspark.job.JobPage;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStatus;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Set;
import org.kohsuke.args4j.Option;
import org.kohsuke.args4j.spi.StringArrayOptionHandler;

/**
 * {@code list-jobs [--job-statuses S ...] [--max-results N] [--next-token T]}: prints ListJobs'
 * output, newest job first, one page at a time when asked (a NextToken says there is more); a
 * job whose record cannot be read is left out with one warning line on stderr naming its file.
 */
public final class ListJobsCommand extends JobVerb {

  @Option(name = "--job-statuses", metaVar = "STATUS", handler = StringArrayOptionHandler.class,
      usage = "only jobs in these statuses (Active, Complete, Failed, New, Suspended, ...)")
  String[] statuses = new String[0];

  @Option(name = "--max-results", metaVar = "N",
      usage = "at most N jobs (0 to 1000, default 1000), and a NextToken when there are more")
  int maxResults = JobPage.MAX_RESULTS;

  @Option(name = "--next-token", metaVar = "TOKEN",
      usage = "the NextToken an earlier list-jobs printed: the page after it")
  String nextToken;

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
    if (maxResults < 0 || maxResults > JobPage.MAX_RESULTS) {
      throw new UsageException("--max-results must be between 0 and " + JobPage.MAX_RESULTS
          + ", got " + maxResults);
    }
    JobListing listing = openStore().list(filter);
    listing.warnings().forEach(warning -> err.println("s3batch: warning: " + warning));
    if (accountId != null) {
      listing = listing.ofAccount(accountId);
    }
    JobPage page = JobPage.of(listing.jobs(), maxResults, nextToken);
    ObjectNode output = JobRecord.toListJobsOutput(page.jobs());
    if (page.nextToken() != null) {
      output.put("NextToken", page.nextToken());
    }
    out.println(Json.write(output));
    return 0;
  }
}
