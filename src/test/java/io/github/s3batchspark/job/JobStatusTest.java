package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusTest {
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

  private static JobRecord newJob() {
    return JobRecord.newJob("0b5d9f0e-6a1c-4c52-9a3e-6f7f0a1b2c3d", JobFixtures.tagging(), T0,
        "us-east-1");
  }

  @Test
  void valuesAreBotocoresJobStatusEnum() {
    // botocore 1.43.11: s3control shape JobStatus
    assertEquals(List.of("Active", "Cancelled", "Cancelling", "Complete", "Completing", "Failed",
        "Failing", "New", "Paused", "Pausing", "Preparing", "Ready", "Suspended"),
        Arrays.stream(JobStatus.values()).map(JobStatus::awsName).toList());
  }

  @Test
  void jobRunsFromNewToCompleteAndRecordsItsTerminationDate() {
    JobRecord job = newJob()
        .withStatus(JobStatus.PREPARING, null, T0.plusSeconds(1))
        .withStatus(JobStatus.READY, null, T0.plusSeconds(2))
        .withStatus(JobStatus.ACTIVE, null, T0.plusSeconds(3));
    assertNull(job.terminationDate());

    job = job.withStatus(JobStatus.COMPLETING, null, T0.plusSeconds(4))
        .withStatus(JobStatus.COMPLETE, "all tasks done", T0.plusSeconds(5));

    assertEquals(JobStatus.COMPLETE, job.status());
    assertEquals(T0.plusSeconds(5), job.terminationDate());
    assertEquals("all tasks done", job.statusUpdateReason());
    assertTrue(job.status().isTerminal());
  }

  @Test
  void confirmationRequiredJobIsSuspendedUntilConfirmed() {
    JobRecord job = newJob().withStatus(JobStatus.PREPARING, null, T0)
        .withStatus(JobStatus.SUSPENDED, "ConfirmationRequired", T0.plusSeconds(9));

    assertEquals(T0.plusSeconds(9), job.suspendedDate());
    assertEquals("ConfirmationRequired", job.suspendedCause());

    JobRecord confirmed = job.withStatus(JobStatus.READY, "confirmed by user", T0.plusSeconds(60));
    assertEquals(JobStatus.READY, confirmed.status());
    assertEquals(T0.plusSeconds(9), confirmed.suspendedDate(), "kept as history");
  }

  @Test
  void completeJobCannotBecomeActiveAgain() {
    JobRecord done = newJob().withStatus(JobStatus.CANCELLING, null)
        .withStatus(JobStatus.CANCELLED, null);

    JobStatusTransitionException e = assertThrows(JobStatusTransitionException.class,
        () -> done.withStatus(JobStatus.ACTIVE, null));

    assertEquals("Cannot move job 0b5d9f0e-6a1c-4c52-9a3e-6f7f0a1b2c3d from Cancelled to Active:"
        + " Cancelled is final", e.getMessage());
  }

  @Test
  void skippingPreparationIsRefusedWithTheAllowedMoves() {
    JobStatusTransitionException e = assertThrows(JobStatusTransitionException.class,
        () -> newJob().withStatus(JobStatus.ACTIVE, null));

    assertEquals("Cannot move job 0b5d9f0e-6a1c-4c52-9a3e-6f7f0a1b2c3d from New to Active:"
        + " from New a job may move to Cancelling, Preparing", e.getMessage());
    assertEquals(JobStatus.NEW, e.from());
    assertEquals(JobStatus.ACTIVE, e.to());
  }

  @Test
  void failingJobsEndFailedThroughFailing() {
    assertFalse(JobStatus.ACTIVE.canMoveTo(JobStatus.FAILED));
    assertTrue(JobStatus.ACTIVE.canMoveTo(JobStatus.FAILING));
    assertEquals(EnumSet.of(JobStatus.FAILED), JobStatus.FAILING.allowedNext());
  }

  @Test
  void pausedJobResumesActive() {
    assertTrue(JobStatus.ACTIVE.canMoveTo(JobStatus.PAUSING));
    assertTrue(JobStatus.PAUSING.canMoveTo(JobStatus.PAUSED));
    assertTrue(JobStatus.PAUSED.canMoveTo(JobStatus.ACTIVE));
  }

  @Test
  void everyJobThatIsStillWaitingOrRunningCanBeCancelled() {
    for (JobStatus s : EnumSet.of(JobStatus.NEW, JobStatus.PREPARING, JobStatus.SUSPENDED,
        JobStatus.READY, JobStatus.ACTIVE, JobStatus.PAUSING, JobStatus.PAUSED)) {
      assertTrue(s.canMoveTo(JobStatus.CANCELLING), s + " can be cancelled");
    }
  }

  @Test
  void everyStatusIsReachableFromNewAndEveryJobCanEnd() {
    assertEquals(EnumSet.allOf(JobStatus.class), reachableFrom(JobStatus.NEW));
    Set<JobStatus> terminal = EnumSet.of(JobStatus.COMPLETE, JobStatus.FAILED,
        JobStatus.CANCELLED);
    for (JobStatus s : JobStatus.values()) {
      Set<JobStatus> reachable = reachableFrom(s);
      reachable.retainAll(terminal);
      assertFalse(reachable.isEmpty(), s + " can end");
      assertEquals(terminal.contains(s), s.isTerminal(), s.awsName());
    }
  }

  @Test
  void statusNamesAreReadAsUsersTypeThem() {
    assertEquals(JobStatus.SUSPENDED, JobStatus.fromAwsName("suspended"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobStatus.fromAwsName("Running"));
    assertEquals("unknown job status \"Running\": expected one of Active, Cancelled, Cancelling,"
        + " Complete, Completing, Failed, Failing, New, Paused, Pausing, Preparing, Ready,"
        + " Suspended", e.getMessage());
  }

  @Test
  void priorityChangeKeepsStatus() {
    JobRecord job = newJob().withPriority(99);

    assertEquals(99, job.priority());
    assertEquals(10, job.spec().request().priority());
    assertNotNull(job.creationTime());
    assertThrows(IllegalArgumentException.class, () -> job.withPriority(-1));
  }

  private static Set<JobStatus> reachableFrom(JobStatus start) {
    Set<JobStatus> seen = EnumSet.of(start);
    Deque<JobStatus> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      for (JobStatus next : todo.pop().allowedNext()) {
        if (seen.add(next)) {
          todo.push(next);
        }
      }
    }
    return seen;
  }
}
