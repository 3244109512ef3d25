package io.github.s3batchspark.service;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.notify.EmrServerlessHandoff;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which jobs a service should run, first to last: jobs created and not waiting for
 * confirmation (New, Ready), paused ones, and those whose run died part way (an unfinished
 * status and no live run); the highest priority first, then the oldest. A job a trigger
 * handed to EMR Serverless is never run here: its run there resumes it.
 */
final class RunnableJobs {
  /** Statuses a run is in, or leaves behind when it dies: runnable when no live run holds them. */
  private static final Set<JobStatus> LEFT_BY_A_RUN = EnumSet.of(JobStatus.PREPARING,
      JobStatus.ACTIVE, JobStatus.PAUSING, JobStatus.COMPLETING, JobStatus.CANCELLING);
  private static final Set<JobStatus> WAITING = EnumSet.of(JobStatus.NEW, JobStatus.READY,
      JobStatus.PAUSED);

  private RunnableJobs() {}

  static List<JobRecord> inOrder(List<JobRecord> jobs, Instant now) {
    return jobs.stream()
        .filter(job -> job.lease() == null || !job.lease().isFresh(now))
        .filter(job -> !EmrServerlessHandoff.isHandedOff(job))
        .filter(job -> WAITING.contains(job.status()) || LEFT_BY_A_RUN.contains(job.status()))
        .sorted(Comparator.comparingInt(JobRecord::priority).reversed()
            .thenComparing(JobRecord::creationTime))
        .toList();
  }
}
