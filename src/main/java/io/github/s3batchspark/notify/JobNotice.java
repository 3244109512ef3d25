package io.github.s3batchspark.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.JobFailure;
import io.github.s3batchspark.job.JobProgress;
import io.github.s3batchspark.job.JobRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What is told about a job at one moment: the record of a {@code JobStatusChanged} event in the
 * shape Amazon's S3 Batch Operations leaves in CloudTrail (and so on EventBridge), with, beside
 * Amazon's members, {@code Job} (DescribeJob's Job) and {@code message} (one line for people).
 *
 * @param job  the job as it is now
 * @param time when the notice was made
 */
public record JobNotice(JobRecord job, Instant time) {
  /** EventBridge's detail-type for the events CloudTrail records, as Amazon's rules match it. */
  public static final String DETAIL_TYPE = "AWS Service Event via CloudTrail";
  /** Amazon's own source ({@code aws.s3}) is reserved to AWS: PutEvents refuses it. */
  public static final String SOURCE = "s3batchspark";
  static final ObjectMapper JSON = new ObjectMapper();

  /** The event record as JSON. */
  public ObjectNode toJson() {
    ObjectNode event = JSON.createObjectNode();
    event.put("eventVersion", "1.05");
    event.putObject("userIdentity").put("accountId", job.accountId())
        .put("invokedBy", "s3.amazonaws.com");
    event.put("eventTime", time.toString());
    event.put("eventSource", "s3.amazonaws.com");
    event.put("eventName", "JobStatusChanged");
    event.put("awsRegion", region());
    event.put("eventType", "AwsServiceEvent");
    event.put("recipientAccountId", job.accountId());
    ObjectNode details = event.putObject("serviceEventDetails");
    details.put("jobId", job.jobId());
    details.put("jobArn", job.jobArn());
    details.put("status", job.status().awsName());
    details.put("jobEventId", eventId());
    ArrayNode codes = details.putArray("failureCodes");
    ArrayNode reasons = details.putArray("statusChangeReason");
    for (JobFailure f : job.failureReasons()) {
      codes.add(f.failureCode());
      reasons.add(f.failureReason());
    }
    event.set("Job", job.toDescribeJobOutput().get("Job"));
    event.put("message", text());
    return event;
  }

  /** The subject of an email or SNS message. */
  public String subject() {
    return "S3 Batch Operations job " + job.jobId() + " is " + job.status().awsName();
  }

  /** One line for people: the status, the counts, the failure reasons, the report. */
  public String text() {
    JobProgress p = job.progress();
    StringBuilder s = new StringBuilder(subject()).append(String.format(
        ": %d of %d tasks succeeded, %d failed", p.numberOfTasksSucceeded(),
        p.totalNumberOfTasks(), p.numberOfTasksFailed()));
    for (JobFailure f : job.failureReasons()) {
      s.append("; ").append(f.failureCode()).append(": ").append(f.failureReason());
    }
    if (job.reportLocation() != null) {
      s.append("; completion report ").append(job.reportLocation());
    }
    return s.append('.').toString();
  }

  /** The whole notice as one JSON document (the body of every kind of notice). */
  public String body() {
    return toJson().toString();
  }

  private String region() {
    String[] arn = job.jobArn().split(":");
    return arn.length > 3 ? arn[3] : "";
  }

  /**
   * The same for every sending of one status change of one job, so that receivers can drop
   * copies. A job ends once, so its end is named by the status alone however often the record
   * is read; other statuses recur (Active again after Paused), so the record's version, which
   * the change wrote, tells them apart.
   */
  private String eventId() {
    String change = job.jobId() + "/" + job.status().awsName()
        + (job.status().isTerminal() ? "" : "/" + job.version());
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(
          change.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
