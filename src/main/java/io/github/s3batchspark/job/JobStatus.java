package io.github.s3batchspark.job;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The s3control {@code JobStatus} values and the moves between them that S3 Batch Operations
 * makes: a job is prepared (reading its manifest), waits for confirmation when asked to, runs,
 * may be paused for a job of higher priority, and ends Complete, Failed or Cancelled. A user may
 * cancel any job that has not ended; a failing job always passes through Failing, a cancelled
 * one through Cancelling, except that a Suspended job has nothing running and ends at once.
 */
public enum JobStatus {
  ACTIVE("Active"),
  CANCELLED("Cancelled"),
  CANCELLING("Cancelling"),
  COMPLETE("Complete"),
  COMPLETING("Completing"),
  FAILED("Failed"),
  FAILING("Failing"),
  NEW("New"),
  PAUSED("Paused"),
  PAUSING("Pausing"),
  PREPARING("Preparing"),
  READY("Ready"),
  SUSPENDED("Suspended");

  private final String awsName;
  // set once in the static block below: an enum constant cannot name later constants earlier
  private EnumSet<JobStatus> next;

  static {
    NEW.next = EnumSet.of(PREPARING, CANCELLING);
    PREPARING.next = EnumSet.of(SUSPENDED, READY, FAILING, CANCELLING);
    SUSPENDED.next = EnumSet.of(READY, CANCELLING, CANCELLED);
    READY.next = EnumSet.of(ACTIVE, FAILING, CANCELLING);
    ACTIVE.next = EnumSet.of(PAUSING, COMPLETING, FAILING, CANCELLING);
    PAUSING.next = EnumSet.of(PAUSED, FAILING, CANCELLING);
    PAUSED.next = EnumSet.of(ACTIVE, CANCELLING);
    COMPLETING.next = EnumSet.of(COMPLETE, FAILING);
    FAILING.next = EnumSet.of(FAILED);
    CANCELLING.next = EnumSet.of(CANCELLED);
    COMPLETE.next = EnumSet.noneOf(JobStatus.class);
    FAILED.next = EnumSet.noneOf(JobStatus.class);
    CANCELLED.next = EnumSet.noneOf(JobStatus.class);
  }

  JobStatus(String awsName) {
    this.awsName = awsName;
  }

  /** The name in the API and in every JSON we write: {@code Active}, {@code Suspended}, ... */
  public String awsName() {
    return awsName;
  }

  /** Reads an API name such as {@code Active}; case is ignored, as users type them. */
  public static JobStatus fromAwsName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.awsName.equalsIgnoreCase(name == null ? "" : name.trim()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job status \"" + name
            + "\": expected one of " + Arrays.stream(values()).map(JobStatus::awsName)
            .collect(Collectors.joining(", "))));
  }

  /** Complete, Failed and Cancelled: the job has ended and will never change again. */
  public boolean isTerminal() {
    return next.isEmpty();
  }

  public Set<JobStatus> allowedNext() {
    return EnumSet.copyOf(next);
  }

  public boolean canMoveTo(JobStatus target) {
    return next.contains(target);
  }

  /** Whether a job in this status can get to {@code target} in zero or more moves. */
  public boolean canReach(JobStatus target) {
    EnumSet<JobStatus> seen = EnumSet.of(this);
    Deque<JobStatus> todo = new ArrayDeque<>(seen);
    while (!todo.isEmpty()) {
      for (JobStatus step : todo.pop().next) {
        if (seen.add(step)) {
          todo.push(step);
        }
      }
    }
    return seen.contains(target);
  }

  /**
   * The statuses a job passes through on the fewest moves from this status to {@code target},
   * {@code target} last; empty when it cannot get there (or is there). For every pair of
   * statuses but one the fewest moves are one path, the one the runner takes when it makes
   * several moves in one write (New, Preparing, Suspended at create-job); from Preparing to
   * Cancelled, the path through Cancelling is chosen, as a cancel while preparing goes.
   */
  public List<JobStatus> movesTo(JobStatus target) {
    Map<JobStatus, JobStatus> cameFrom = new EnumMap<>(JobStatus.class);
    Deque<JobStatus> todo = new ArrayDeque<>(List.of(this));
    while (!todo.isEmpty() && !cameFrom.containsKey(target)) {
      JobStatus at = todo.removeFirst();
      for (JobStatus step : at.next) {
        if (step != this && cameFrom.putIfAbsent(step, at) == null) {
          todo.addLast(step);
        }
      }
    }
    List<JobStatus> path = new ArrayList<>();
    for (JobStatus s = target; cameFrom.containsKey(s); s = cameFrom.get(s)) {
      path.add(0, s);
    }
    return path;
  }

  /** Throws {@link JobStatusTransitionException} unless a job may move from this status to target. */
  public void checkMoveTo(JobStatus target, String jobId) {
    if (!canMoveTo(target)) {
      throw new JobStatusTransitionException(jobId, this, target);
    }
  }

  @Override
  public String toString() {
    return awsName;
  }

  String describeAllowedNext() {
    if (next.isEmpty()) {
      return awsName + " is final";
    }
    return "from " + awsName + " a job may move to " + next.stream().map(JobStatus::awsName)
        .collect(Collectors.joining(", "));
  }
}
