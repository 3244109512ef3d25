package io.github.s3batchspark.job;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who writes a change to a job record, and so which fields it may change. Two writers work on
 * one record at once (the runner writes progress while a user changes the priority or cancels),
 * and the store merges their writes field by field: each change is applied to the freshest
 * record, so it can only lose another writer's update if it changed that writer's fields. The
 * store refuses a change that reaches outside its owner's fields.
 */
public enum Owner {
  /**
   * The job runner: status, progress and its timers, failure reasons, report location, the
   * generated manifest's descriptor, the run's lease, and the dates and reasons that come with a status move.
   */
  RUNNER,
  /**
   * A user (update-job-priority, update-job-status, put-job-tagging): the priority, the tags,
   * and the status the user asks for: Ready to confirm a Suspended job, Cancelling or Cancelled to cancel one.
   */
  USER;

  private static final Set<JobStatus> USER_REQUESTS = EnumSet.of(JobStatus.READY,
      JobStatus.CANCELLING, JobStatus.CANCELLED);

  /**
   * Refuses a change of a field this owner does not own; a programming error, not a user's.
   *
   * @throws IllegalArgumentException naming the fields
   */
  void checkChange(JobRecord before, JobRecord after) {
    List<String> foreign = new ArrayList<>();
    same(before.jobId(), after.jobId(), "JobId", foreign);
    same(before.jobArn(), after.jobArn(), "JobArn", foreign);
    same(before.spec(), after.spec(), "the CreateJob request", foreign);
    same(before.creationTime(), after.creationTime(), "CreationTime", foreign);
    same(before.version(), after.version(), "the record version", foreign);
    if (this == RUNNER) {
      same(before.priority(), after.priority(), "Priority", foreign);
      same(before.tags(), after.tags(), "Tags", foreign);
    } else {
      same(before.lease(), after.lease(), "the run's lease", foreign);
      same(before.progress(), after.progress(), "ProgressSummary", foreign);
      same(before.failureReasons(), after.failureReasons(), "FailureReasons", foreign);
      same(before.reportLocation(), after.reportLocation(), "ReportLocation", foreign);
      same(before.generatedManifest(), after.generatedManifest(),
          "GeneratedManifestDescriptor", foreign);
      same(before.suspendedDate(), after.suspendedDate(), "SuspendedDate", foreign);
      same(before.suspendedCause(), after.suspendedCause(), "SuspendedCause", foreign);
      if (before.status() != after.status() && !USER_REQUESTS.contains(after.status())) {
        foreign.add("Status (to " + after.status().awsName() + ")");
      }
    }
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException("a " + name() + " write to job " + before.jobId()
          + " may not change " + String.join(", ", foreign));
    }
  }

  private static void same(Object before, Object after, String field, List<String> foreign) {
    if (!Objects.equals(before, after)) {
      foreign.add(field);
    }
  }
}
