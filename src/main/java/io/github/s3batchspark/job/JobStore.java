package io.github.s3batchspark.job;

import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.hadoop.fs.Path;

/**
 * Where jobs live between commands: {@code create-job} writes a record, {@code run} and the
 * job runner update it, {@code describe-job} and {@code list-jobs} read it.
 *
 * <p>Every stored record has a version. A change is written only over the version it was made
 * from (compare-and-set), so that no writer overwrites another's update unseen.
 */
public interface JobStore {

  /**
   * Creates a job in status New, or returns the job already created with the same
   * ClientRequestToken and the same spec (as CreateJob is idempotent on the token). A create
   * that fails half-way leaves nothing behind.
   *
   * @throws IdempotencyException when the token was used for a different spec
   */
  JobRecord create(JobSpec spec);

  /**
   * The newest record of the job.
   *
   * @throws JobIdException             when {@code jobId} is not an id this tool makes
   * @throws JobNotFoundException       when no job has this id in this store
   * @throws CorruptJobRecordException  when the record cannot be read back
   */
  JobRecord get(String jobId);

  /**
   * Jobs whose status is in {@code statuses} (all jobs when empty), newest first; a job whose
   * record cannot be read is left out with a warning.
   */
  JobListing list(Set<JobStatus> statuses);

  default JobListing list() {
    return list(Set.of());
  }

  /**
   * Applies {@code change} to the stored record and writes the result as the next version,
   * returning it. When another writer got there first, the change is applied again to the record
   * it wrote (a bounded number of times), so that writers merge by field: the runner's progress
   * never undoes a user's priority, and a user's cancel is never undone by the runner. A change
   * must be a function of the record it is given, and change only {@code owner}'s fields.
   *
   * @throws JobNotFoundException          when the job does not exist
   * @throws JobStatusTransitionException  when the change moves the status in a way the stored
   *                                       status no longer allows (a user cancelled meanwhile)
   * @throws IllegalArgumentException      when the change reaches outside {@code owner}'s fields
   * @throws JobStoreException             when the record cannot be written
   */
  JobRecord update(String jobId, Owner owner, UnaryOperator<JobRecord> change);

  /** The directory where the runner keeps the job's manifest and results; may not exist yet. */
  Path jobDirectory(String jobId);

  /** Where the store is, for messages: {@code file:/home/me/.s3batch}, {@code s3a://b/jobs}. */
  String location();
}
