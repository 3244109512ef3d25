package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.github.s3batchspark.job.spec.S3Tag;
import io.github.s3batchspark.manifest.GeneratedManifestDescriptor;

/**
 * The JSON of botocore's {@code JobDescriptor} (DescribeJob) and {@code JobListDescriptor}
 * (ListJobs), member for member and in botocore's order, so that scripts written against the AWS
 * CLI read our output unchanged. Members AWS omits when unset are omitted here too. Our
 * extensions are shown when the job has them: {@code ManifestFilter} by both,
 * {@code DynamoDBManifest} (the table that is the manifest), {@code ReportTable} and
 * {@code Notifications} by DescribeJob.
 */
final class JobDescriptors {
  private JobDescriptors() {}

  static ObjectNode jobDescriptor(JobRecord job) {
    ObjectNode spec = job.spec().tree();
    ObjectNode out = JobJson.MAPPER.createObjectNode();
    out.put("JobId", job.jobId());
    out.put("ConfirmationRequired", spec.path("ConfirmationRequired").asBoolean(false));
    copy(spec, "Description", out);
    out.put("JobArn", job.jobArn());
    out.put("Status", job.status().awsName());
    copy(spec, "Manifest", out);
    copy(spec, "Operation", out);
    out.put("Priority", job.priority());
    out.set("ProgressSummary", progressSummary(job.progress()));
    putIfSet(out, "StatusUpdateReason", job.statusUpdateReason());
    ArrayNode failures = out.putArray("FailureReasons");
    job.failureReasons().forEach(f -> failures.addObject()
        .put("FailureCode", f.failureCode())
        .put("FailureReason", f.failureReason()));
    copy(spec, "Report", out);
    putTime(out, "CreationTime", job.creationTime());
    putTime(out, "TerminationDate", job.terminationDate());
    copy(spec, "RoleArn", out);
    putTime(out, "SuspendedDate", job.suspendedDate());
    putIfSet(out, "SuspendedCause", job.suspendedCause());
    copy(spec, "ManifestGenerator", out);
    copy(spec, "DynamoDBManifest", out); // our extension: the table that is the manifest
    if (job.generatedManifest() != null) {
      out.set("GeneratedManifestDescriptor", generatedManifest(job.generatedManifest()));
    }
    copy(spec, "ManifestFilter", out); // our extension: which objects the job picks
    copy(spec, "ReportTable", out); // our extension: where analysts find the report by name
    copy(spec, "Notifications", out); // our extension: who is told of its status changes
    return out;
  }

  static ObjectNode jobListDescriptor(JobRecord job) {
    ObjectNode out = JobJson.MAPPER.createObjectNode();
    out.put("JobId", job.jobId());
    putIfSet(out, "Description", job.spec().request().description());
    out.put("Operation", job.operationName());
    // our extension, so that whoever confirms a Suspended job sees which objects it picks
    copy(job.spec().tree(), "ManifestFilter", out);
    out.put("Priority", job.priority());
    out.put("Status", job.status().awsName());
    putTime(out, "CreationTime", job.creationTime());
    putTime(out, "TerminationDate", job.terminationDate());
    out.set("ProgressSummary", progressSummary(job.progress()));
    return out;
  }

  /** Our extension: the run that holds the job, and whether it is alive. */
  static ObjectNode runDescriptor(RunLease lease, Instant now) {
    ObjectNode out = JobJson.MAPPER.createObjectNode();
    out.put("RunId", lease.runId());
    putIfSet(out, "Host", lease.host());
    putIfSet(out, "SparkApplicationId", lease.applicationId());
    putTime(out, "LastHeartbeat", lease.heartbeat());
    out.put("HeartbeatAgeSeconds", lease.age(now).toSeconds());
    out.put("LeaseTimeoutSeconds", lease.timeout().toSeconds());
    out.put("Alive", lease.isFresh(now));
    return out;
  }

  /** botocore's {@code S3GeneratedManifestDescriptor}: Format, Location (a JobManifestLocation). */
  private static ObjectNode generatedManifest(GeneratedManifestDescriptor written) {
    ObjectNode out = JobJson.MAPPER.createObjectNode();
    out.put("Format", written.format());
    ObjectNode location = out.putObject("Location");
    location.put("ObjectArn", written.objectArn());
    putIfSet(location, "ObjectVersionId", written.objectVersionId());
    location.put("ETag", written.eTag());
    return out;
  }

  private static GeneratedManifestDescriptor generatedManifest(JsonNode descriptor) {
    if (descriptor == null || !descriptor.isObject()) {
      return null;
    }
    JsonNode location = descriptor.path("Location");
    return new GeneratedManifestDescriptor(descriptor.path("Format").asText(null),
        location.path("ObjectArn").asText(null), location.path("ObjectVersionId").asText(null),
        location.path("ETag").asText(null));
  }

  static JobRecord fromJobDescriptor(JsonNode job, JobSpec spec, String reportLocation,
      List<S3Tag> tags, RunLease lease, long version) {
    JsonNode progress = job.path("ProgressSummary");
    List<JobFailure> failures = new ArrayList<>();
    job.path("FailureReasons").forEach(f -> failures.add(new JobFailure(
        f.path("FailureCode").asText(), f.path("FailureReason").asText(null))));
    return new JobRecord(
        job.path("JobId").asText(null),
        job.path("JobArn").asText(null),
        spec,
        JobStatus.fromAwsName(job.path("Status").asText(null)),
        job.path("Priority").asInt(spec.request().priority()),
        time(job, "CreationTime"),
        time(job, "TerminationDate"),
        new JobProgress(
            progress.path("TotalNumberOfTasks").asLong(0),
            progress.path("NumberOfTasksSucceeded").asLong(0),
            progress.path("NumberOfTasksFailed").asLong(0),
            progress.path("Timers").path("ElapsedTimeInActiveSeconds").asLong(0)),
        failures,
        job.path("StatusUpdateReason").asText(null),
        time(job, "SuspendedDate"),
        job.path("SuspendedCause").asText(null),
        reportLocation,
        generatedManifest(job.get("GeneratedManifestDescriptor")),
        tags,
        lease,
        version);
  }

  private static ObjectNode progressSummary(JobProgress progress) {
    ObjectNode summary = JobJson.MAPPER.createObjectNode();
    summary.put("TotalNumberOfTasks", progress.totalNumberOfTasks());
    summary.put("NumberOfTasksSucceeded", progress.numberOfTasksSucceeded());
    summary.put("NumberOfTasksFailed", progress.numberOfTasksFailed());
    summary.putObject("Timers")
        .put("ElapsedTimeInActiveSeconds", progress.elapsedTimeInActiveSeconds());
    return summary;
  }

  private static void copy(ObjectNode from, String member, ObjectNode to) {
    if (from.hasNonNull(member)) {
      to.set(member, from.get(member));
    }
  }

  private static void putIfSet(ObjectNode out, String member, String value) {
    if (value != null) {
      out.put(member, value);
    }
  }

  /** ISO-8601 UTC, as the AWS CLI prints timestamps with {@code cli_timestamp_format=iso8601}. */
  private static void putTime(ObjectNode out, String member, Instant time) {
    if (time != null) {
      out.put(member, time.toString());
    }
  }

  private static Instant time(JsonNode job, String member) {
    JsonNode value = job.get(member);
    return value == null || value.isNull() ? null : Instant.parse(value.asText());
  }
}
