package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRecordJsonTest {
  // botocore 1.43.11, s3control: the members of JobDescriptor and JobListDescriptor, in order
  private static final List<String> JOB_DESCRIPTOR = List.of("JobId", "ConfirmationRequired",
      "Description", "JobArn", "Status", "Manifest", "Operation", "Priority", "ProgressSummary",
      "StatusUpdateReason", "FailureReasons", "Report", "CreationTime", "TerminationDate",
      "RoleArn", "SuspendedDate", "SuspendedCause", "ManifestGenerator",
      "GeneratedManifestDescriptor");
  private static final List<String> JOB_LIST_DESCRIPTOR = List.of("JobId", "Description",
      "Operation", "Priority", "Status", "CreationTime", "TerminationDate", "ProgressSummary");
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

  private static JobRecord failedJob() {
    return JobRecord.newJob("5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", JobFixtures.tagging(), T0,
            "eu-west-1")
        .withStatus(JobStatus.PREPARING, null, T0)
        .withStatus(JobStatus.SUSPENDED, "ConfirmationRequired", T0.plusSeconds(1))
        .withStatus(JobStatus.READY, null, T0.plusSeconds(2))
        .withStatus(JobStatus.ACTIVE, null, T0.plusSeconds(3))
        .withProgress(new JobProgress(100, 40, 30, 12))
        .withFailure(new JobFailure("TaskFailureRateExceeded", "more than 50% of tasks failed"))
        .withStatus(JobStatus.FAILING, "failure threshold", T0.plusSeconds(15))
        .withStatus(JobStatus.FAILED, "failure threshold", T0.plusSeconds(16))
        .withReportLocation("s3://example-reports/batch-reports/job-5f1c/results/");
  }

  @Test
  void describeJobOutputHasBotocoresJobDescriptorMembersInOrder() {
    JsonNode job = failedJob().toDescribeJobOutput().get("Job");

    List<String> names = names(job);
    assertEquals(JOB_DESCRIPTOR.stream().filter(names::contains).toList(), names);
    assertEquals(List.of("JobId", "ConfirmationRequired", "Description", "JobArn", "Status",
        "Manifest", "Operation", "Priority", "ProgressSummary", "StatusUpdateReason",
        "FailureReasons", "Report", "CreationTime", "TerminationDate", "RoleArn",
        "SuspendedDate", "SuspendedCause"), names);
  }

  @Test
  void describeJobEchoesTheSpecAndShowsProgress() {
    JsonNode job = failedJob().toDescribeJobOutput().get("Job");

    assertEquals("arn:aws:s3:eu-west-1:123456789012:job/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
        job.get("JobArn").asText());
    assertEquals("Failed", job.get("Status").asText());
    assertEquals("arn:aws:iam::123456789012:role/S3BatchOperationsRole",
        job.get("RoleArn").asText());
    assertEquals("apollo",
        job.at("/Operation/S3PutObjectTagging/TagSet/0/Value").asText());
    assertEquals(100, job.at("/ProgressSummary/TotalNumberOfTasks").asLong());
    assertEquals(40, job.at("/ProgressSummary/NumberOfTasksSucceeded").asLong());
    assertEquals(30, job.at("/ProgressSummary/NumberOfTasksFailed").asLong());
    assertEquals(12, job.at("/ProgressSummary/Timers/ElapsedTimeInActiveSeconds").asLong());
    assertEquals("TaskFailureRateExceeded", job.at("/FailureReasons/0/FailureCode").asText());
    assertEquals("more than 50% of tasks failed",
        job.at("/FailureReasons/0/FailureReason").asText());
    assertEquals("2024-03-01T10:00:00Z", job.get("CreationTime").asText());
    assertEquals("2024-03-01T10:00:16Z", job.get("TerminationDate").asText());
    assertEquals("2024-03-01T10:00:01Z", job.get("SuspendedDate").asText());
    assertEquals("ConfirmationRequired", job.get("SuspendedCause").asText());
  }

  @Test
  void newJobShowsZeroProgressAndNoEndYet() {
    JsonNode job = JobRecord.newJob("5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
        JobFixtures.tagging(), T0, "us-east-1").toDescribeJobOutput().get("Job");

    assertEquals("New", job.get("Status").asText());
    assertEquals(0, job.at("/ProgressSummary/TotalNumberOfTasks").asLong());
    assertEquals(0, job.get("FailureReasons").size());
    assertTrue(job.path("TerminationDate").isMissingNode());
    assertTrue(job.path("StatusUpdateReason").isMissingNode());
  }

  @Test
  void manifestGeneratorIsEchoed() {
    JobSpec spec = JobSpecParser.parse(JobFixtures.text("tagging-manifest-generator.json"));
    JsonNode job = JobRecord.newJob("5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", spec, T0,
        "us-east-1").toDescribeJobOutput().get("Job");

    assertEquals("arn:aws:s3:::example-source",
        job.at("/ManifestGenerator/S3JobManifestGenerator/SourceBucket").asText());
    assertTrue(job.path("Manifest").isMissingNode());
    assertTrue(job.get("ConfirmationRequired").asBoolean());
  }

  @Test
  void listJobsOutputHasBotocoresJobListDescriptorMembers() {
    ObjectNode output = JobRecord.toListJobsOutput(List.of(failedJob()));

    assertEquals(List.of("Jobs"), names(output));
    JsonNode entry = output.get("Jobs").get(0);
    assertEquals(JOB_LIST_DESCRIPTOR, names(entry));
    assertEquals("S3PutObjectTagging", entry.get("Operation").asText());
    assertEquals("Tag the apollo objects", entry.get("Description").asText());
    assertEquals(40, entry.at("/ProgressSummary/NumberOfTasksSucceeded").asLong());
    assertEquals(0, JobRecord.toListJobsOutput(List.of()).get("Jobs").size());
  }

  @Test
  void recordReadsBackFromItsJobDescriptor() {
    JobRecord job = failedJob();

    JobRecord back = JobRecord.fromJobDescriptor(job.toDescribeJobOutput().get("Job"),
        job.spec(), job.reportLocation(), job.tags(), job.lease(), job.version());

    assertEquals(job, back);
  }

  @Test
  void overlongFailureReasonIsShortenedToWhatTheApiHolds() {
    JobFailure failure = new JobFailure("ManifestUnreadable", "x".repeat(1000));

    assertEquals(256, failure.failureReason().length());
    assertTrue(failure.failureReason().endsWith("..."));
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
