package io.github.s3batchspark.job;

import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;

/**
 * Where jobs live between commands: {@code create-job} writes a record, {@code run} and the
 * job runner update it, {@code describe-job} and {@code list-jobs} read it.
 */
public interface JobStore {

  /**
   * Creates a job in status New, or returns the job already created with the same
   * ClientRequestToken and the same spec (as CreateJob is idempotent on the token).
   *
   * @throws IdempotencyException when the token was used for a different spec
   */
  JobRecord create(JobSpec spec);

  /** @throws JobNotFoundException when no job has this id in this store */
  JobRecord get(String jobId);

  /** Jobs whose status is in {@code statuses} (all jobs when empty), newest first. */
  List<JobRecord> list(Set<JobStatus> statuses);

  default List<JobRecord> list() {
    return list(Set.of());
  }

  /**
   * Writes a changed record over the stored one and returns it. Refused when the stored job has
   * meanwhile moved to a status from which the record's status cannot be reached in any number
   * of moves (for example a user cancelled the job while the runner was writing progress), so
   * that no change of status is silently lost. This is a guard, not a lock: two writers racing
   * within one read-write window are not detected.
   *
   * @throws JobNotFoundException          when the job does not exist
   * @throws JobStatusTransitionException  when the stored status has moved on
   */
  JobRecord update(JobRecord job);

  /** The directory where the runner keeps the job's manifest and results; may not exist yet. */
  Path jobDirectory(String jobId);

  /** Where the store is, for messages: {@code file:/home/me/.s3batch}, {@code s3a://b/jobs}. */
  String location();
}
