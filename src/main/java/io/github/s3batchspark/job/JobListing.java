package io.github.s3batchspark.job;

import java.util.List;

/**
 * What {@link JobStore#list} found: the jobs it could read, and one warning for each it could
 * not (a corrupt record), so that one bad file does not hide every other job.
 *
 * @param jobs     the readable jobs, newest first
 * @param warnings one line per job skipped, naming its file and why
 */
public record JobListing(List<JobRecord> jobs, List<String> warnings) {
  public JobListing {
    jobs = List.copyOf(jobs);
    warnings = List.copyOf(warnings);
  }

  /** The jobs of one account (CreateJob's AccountId), with the same warnings. */
  public JobListing ofAccount(String accountId) {
    return new JobListing(jobs.stream().filter(j -> j.accountId().equals(accountId)).toList(),
        warnings);
  }
}
