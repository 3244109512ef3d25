package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.spec.S3Tag;
import io.github.s3batchspark.manifest.GeneratedManifestDescriptor;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A job as the store keeps it and DescribeJob shows it: the spec it was created from and what
 * has happened to it since. Immutable: every change returns a new record; a writer hands the
 * change to {@link JobStore#update(String, Owner, java.util.function.UnaryOperator)}, which applies
 * it to the stored record.
 *
 * @param jobId              36-character lower-case UUID, as this tool makes them
 * @param jobArn             {@code arn:aws:s3:<region>:<account>:job/<jobId>}
 * @param spec               the validated CreateJob request
 * @param status             where the job is in its life cycle
 * @param priority           current priority (starts as the spec's, UpdateJobPriority changes it)
 * @param creationTime       when the job was created
 * @param terminationDate    when it reached Complete, Failed or Cancelled; null before
 * @param progress           task counts and time spent Active
 * @param failureReasons     why the job (not a task) failed; empty unless Failing or Failed
 * @param statusUpdateReason the reason given with the latest status change, or null
 * @param suspendedDate      when the job was last Suspended, or null
 * @param suspendedCause     why it was last Suspended, or null
 * @param reportLocation     where the completion report was written (an s3:// URI), or null
 * @param generatedManifest  the manifest.json a {@code ManifestGenerator} with
 *                           EnableManifestOutput wrote for the job, once written; else null
 * @param tags               the job's tags (starts as the spec's, PutJobTagging changes them)
 * @param lease              the run that holds the job now, or null when no run does
 * @param version            the version of the stored record this one was read at (1 is the
 *                           record create-job wrote; 0 for a record not stored yet): the store
 *                           writes a change only over the version it was made from
 */
public record JobRecord(
    String jobId, String jobArn, JobSpec spec, JobStatus status, int priority,
    Instant creationTime, Instant terminationDate, JobProgress progress,
    List<JobFailure> failureReasons, String statusUpdateReason, Instant suspendedDate,
    String suspendedCause, String reportLocation, GeneratedManifestDescriptor generatedManifest,
    List<S3Tag> tags, RunLease lease, long version) implements Serializable {

  /**
   * The ids {@link #newJobId()} makes (a subset of the s3control {@code JobId} pattern): checked
   * before an id becomes a directory name, so that no {@code ../} or odd character reaches a path.
   */
  private static final Pattern JOB_ID = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final int MAX_SHOWN_ID = 60;
  private static final int MAX_STATUS_UPDATE_REASON = 256;
  private static final int MAX_SUSPENDED_CAUSE = 1024;

  public JobRecord {
    checkJobId(jobId);
    Objects.requireNonNull(jobArn, "jobArn");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(creationTime, "creationTime");
    Objects.requireNonNull(progress, "progress");
    if (version < 0) {
      throw new IllegalArgumentException("job record version cannot be negative, got " + version);
    }
    if (priority < 0) {
      throw new IllegalArgumentException("job priority must be between 0 and 2147483647, got "
          + priority);
    }
    failureReasons = List.copyOf(failureReasons);
    tags = tags == null ? List.of() : List.copyOf(tags);
    statusUpdateReason = shortened(statusUpdateReason, MAX_STATUS_UPDATE_REASON);
    suspendedCause = shortened(suspendedCause, MAX_SUSPENDED_CAUSE);
  }

  /** A job just created from {@code spec}: status New, no progress yet. */
  public static JobRecord newJob(String jobId, JobSpec spec, Instant creationTime,
      String region) {
    String arn = "arn:aws:s3:" + region + ":" + spec.request().accountId() + ":job/" + jobId;
    return new JobRecord(jobId, arn, spec, JobStatus.NEW, spec.request().priority(),
        creationTime, null, JobProgress.none(), List.of(), null, null, null, null,
        null, spec.request().tags(), null, 0);
  }

  /** A fresh Amazon-style job id. */
  public static String newJobId() {
    return UUID.randomUUID().toString();
  }

  /** Refuses anything that is not an id this tool makes, before it is used in a path. */
  public static String checkJobId(String jobId) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
      throw new JobIdException(jobId, shown(jobId), "36 characters, lower-case hex digits and -"
          + " like 0f8fad5b-d9cb-469f-a165-70867728950e, as create-job printed it");
    }
    return jobId;
  }

  /** The id as one printable line: control, non-ASCII characters escaped, a long one cut. */
  private static String shown(String jobId) {
    if (jobId == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("\"");
    jobId.codePoints().limit(MAX_SHOWN_ID).forEach(c -> {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    out.append('"');
    int length = jobId.codePointCount(0, jobId.length());
    return length > MAX_SHOWN_ID ? out + "... (" + length + " characters)" : out.toString();
  }

  /** The account the job belongs to: CreateJob's {@code AccountId}. */
  public String accountId() {
    return spec.request().accountId();
  }

  /** The member name of the job's operation in {@code Operation}, e.g. {@code S3PutObjectCopy}. */
  public String operationName() {
    return spec.operationName();
  }

  public JobRecord withStatus(JobStatus next, String reason) {
    return withStatus(next, reason, Instant.now());
  }

  /**
   * Moves the job to {@code next}, refusing a move the life cycle does not allow. Records the
   * reason; entering Suspended records when and why, ending records the termination date.
   */
  public JobRecord withStatus(JobStatus next, String reason, Instant at) {
    status.checkMoveTo(next, jobId);
    boolean suspending = next == JobStatus.SUSPENDED;
    return new JobRecord(jobId, jobArn, spec, next, priority, creationTime,
        next.isTerminal() ? at : terminationDate, progress, failureReasons, reason,
        suspending ? at : suspendedDate, suspending ? reason : suspendedCause, reportLocation,
        generatedManifest, tags, lease, version);
  }

  public JobRecord withPriority(int newPriority) {
    return new JobRecord(jobId, jobArn, spec, status, newPriority, creationTime,
        terminationDate, progress, failureReasons, statusUpdateReason, suspendedDate,
        suspendedCause, reportLocation, generatedManifest, tags, lease, version);
  }

  /**
   * The job at the priority a user asks for (UpdateJobPriority).
   *
   * @throws JobNotRunnableException when the job has ended: nothing is left to run sooner or later
   */
  public JobRecord withRequestedPriority(int newPriority) {
    if (status.isTerminal()) {
      throw new JobNotRunnableException("Job " + jobId + " is " + status.awsName()
          + ": the priority of an ended job cannot change");
    }
    return withPriority(newPriority);
  }

  /**
   * The job in the status a user asks for (UpdateJobStatus): Ready confirms a Suspended job;
   * Cancelled passes through Cancelling. A job that a live run holds stays there: the run stops
   * its tasks, writes the report of those that ran and ends the job Cancelled. A job nothing
   * runs (never started, Suspended, or left by a run that died) ends Cancelled at once.
   *
   * @throws IllegalArgumentException     when {@code requested} is neither Ready nor Cancelled
   * @throws JobStatusTransitionException when the job cannot get there from where it is
   */
  public JobRecord withRequestedStatus(JobStatus requested, String reason) {
    if (requested != JobStatus.READY && requested != JobStatus.CANCELLED) {
      throw new IllegalArgumentException("RequestedJobStatus must be Ready or Cancelled, got "
          + requested.awsName());
    }
    JobRecord job = this;
    if (requested == JobStatus.CANCELLED && status != JobStatus.SUSPENDED) {
      if (status != JobStatus.CANCELLING) {
        job = job.withStatus(JobStatus.CANCELLING, reason);
      }
      if (lease != null && lease.isFresh(Instant.now())) {
        return job; // the run that holds the job stops its tasks and ends it Cancelled
      }
    }
    return job.withStatus(requested, reason);
  }

  public JobRecord withProgress(JobProgress newProgress) {
    return new JobRecord(jobId, jobArn, spec, status, priority, creationTime, terminationDate,
        newProgress, failureReasons, statusUpdateReason, suspendedDate, suspendedCause,
        reportLocation, generatedManifest, tags, lease, version);
  }

  /** Adds a reason the job failed (the runner records it before moving to Failing). */
  public JobRecord withFailure(JobFailure failure) {
    List<JobFailure> all = new ArrayList<>(failureReasons);
    all.add(failure);
    return new JobRecord(jobId, jobArn, spec, status, priority, creationTime, terminationDate,
        progress, all, statusUpdateReason, suspendedDate, suspendedCause, reportLocation,
        generatedManifest, tags, lease, version);
  }

  public JobRecord withReportLocation(String location) {
    return new JobRecord(jobId, jobArn, spec, status, priority, creationTime, terminationDate,
        progress, failureReasons, statusUpdateReason, suspendedDate, suspendedCause, location,
        generatedManifest, tags, lease, version);
  }

  /** The job with the generated manifest its ManifestGenerator wrote (DescribeJob shows it). */
  public JobRecord withGeneratedManifest(GeneratedManifestDescriptor written) {
    return new JobRecord(jobId, jobArn, spec, status, priority, creationTime, terminationDate,
        progress, failureReasons, statusUpdateReason, suspendedDate, suspendedCause,
        reportLocation, written, tags, lease, version);
  }

  /** This record as the store wrote it at {@code storedVersion}. */
  JobRecord atVersion(long storedVersion) {
    return new JobRecord(jobId, jobArn, spec, status, priority, creationTime, terminationDate,
        progress, failureReasons, statusUpdateReason, suspendedDate, suspendedCause,
        reportLocation, generatedManifest, tags, lease, storedVersion);
  }

  /** The job with these tags (PutJobTagging replaces them all; DeleteJobTagging empties them). */
  public JobRecord withTags(List<S3Tag> newTags) {
    return new JobRecord(jobId, jobArn, spec, status, priority, creationTime, terminationDate,
        progress, failureReasons, statusUpdateReason, suspendedDate, suspendedCause,
        reportLocation, generatedManifest, newTags, lease, version);
  }

  /** The job held by {@code newLease}'s run, or by none when it is null. */
  public JobRecord withLease(RunLease newLease) {
    return new JobRecord(jobId, jobArn, spec, status, priority, creationTime, terminationDate,
        progress, failureReasons, statusUpdateReason, suspendedDate, suspendedCause,
        reportLocation, generatedManifest, tags, newLease, version);
  }

  /** DescribeJob's output: {@code {"Job": {...}}}, member for member as botocore names them. */
  public ObjectNode toDescribeJobOutput() {
    ObjectNode output = JobJson.MAPPER.createObjectNode();
    output.set("Job", JobDescriptors.jobDescriptor(this));
    return output;
  }

  /**
   * DescribeJob's output and, beside its {@code Job}, our {@code Run}: the run holding the job,
   * when one does, with its heartbeat's age at {@code now}, so that a run that died (its lease
   * not renewed within its timeout) is seen as such.
   */
  public ObjectNode toDescribeJobOutput(Instant now) {
    ObjectNode output = toDescribeJobOutput();
    if (lease != null) {
      output.set("Run", JobDescriptors.runDescriptor(lease, now));
    }
    return output;
  }

  /** This job as one element of ListJobs' {@code Jobs} (botocore's JobListDescriptor). */
  public ObjectNode toJobListDescriptor() {
    return JobDescriptors.jobListDescriptor(this);
  }

  /** ListJobs' output: {@code {"Jobs": [...]}}, in the order given. */
  public static ObjectNode toListJobsOutput(List<JobRecord> jobs) {
    ObjectNode output = JobJson.MAPPER.createObjectNode();
    ArrayNode list = output.putArray("Jobs");
    jobs.forEach(job -> list.add(job.toJobListDescriptor()));
    return output;
  }

  /**
   * Reads a record back from a DescribeJob {@code Job} object and the spec it was created from
   * (DescribeJob does not carry everything the spec has: tags, token, account).
   */
  public static JobRecord fromJobDescriptor(JsonNode job, JobSpec spec, String reportLocation,
      List<S3Tag> tags, RunLease lease, long version) {
    return JobDescriptors.fromJobDescriptor(job, spec, reportLocation, tags, lease, version);
  }

  private static String shortened(String text, int max) {
    return text == null ? null : JobFailure.shorten(text, max);
  }
}
