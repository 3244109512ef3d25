package io.github.s3batchspark.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStatus;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * boto3's s3control client, unmodified, manages jobs through {@code s3batch serve}'s API: every
 * answer parses as botocore's output shape, and errors raise the modelled exceptions.
 */
class Boto3S3ControlTest {
  @TempDir static Path dir;
  private static LocalApi api;

  @BeforeAll
  static void startServer() {
    api = LocalApi.start(dir.resolve("store"));
  }

  @AfterAll
  static void stopServer() {
    api.close();
  }

  @Test
  void createdJobIsDescribedAndListedAsBotocoreShapesIt() throws Exception {
    JsonNode out = Boto3Script.run(api, """
        created = check("CreateJob", s3c.create_job(**job_args(
            Description="via boto3", ConfirmationRequired=True,
            Tags=[{"Key": "team", "Value": "storage"}])))
        job = check("DescribeJob", s3c.describe_job(AccountId=ACCOUNT,
            JobId=created["JobId"]))["Job"]
        listed = check("ListJobs", s3c.list_jobs(AccountId=ACCOUNT))["Jobs"]
        tags = check("GetJobTagging", s3c.get_job_tagging(AccountId=ACCOUNT,
            JobId=created["JobId"]))["Tags"]
        emit({"created": created, "job": job, "listed": listed, "tags": tags})
        """);

    String jobId = out.at("/created/JobId").asText();
    JsonNode job = out.get("job");
    assertEquals(jobId, job.get("JobId").asText());
    assertEquals("Suspended", job.get("Status").asText(), job.toString());
    assertEquals("via boto3", job.get("Description").asText());
    assertEquals(10, job.get("Priority").asInt());
    assertEquals("v", job.at("/Operation/S3PutObjectTagging/TagSet/0/Value").asText());
    assertEquals("Key", job.at("/Manifest/Spec/Fields/1").asText());
    assertEquals(api.manifestEtag, job.at("/Manifest/Location/ETag").asText());
    assertTrue(job.at("/Report/Enabled").asBoolean());
    assertEquals("arn:aws:s3:us-east-1:123456789012:job/" + jobId, job.get("JobArn").asText());
    assertTrue(job.get("CreationTime").asText().startsWith("20"), job.toString());
    assertEquals(0, job.at("/ProgressSummary/TotalNumberOfTasks").asInt());
    assertTrue(out.get("listed").findValuesAsText("JobId").contains(jobId));
    assertEquals("storage", out.at("/tags/0/Value").asText());
    assertEquals(JobStatus.SUSPENDED, api.store.get(jobId).status());
  }

  @Test
  void listJobsPagesByMaxResultsAndNextTokenWithoutRepeatsAndFiltersByStatus()
      throws Exception {
    JsonNode out = Boto3Script.run(api, """
        mine = [s3c.create_job(**job_args(Description="page %d" % i))["JobId"]
                for i in range(5)]
        seen, pages, token = [], 0, None
        while True:
            kwargs = {"NextToken": token} if token else {}
            page = check("ListJobs", s3c.list_jobs(AccountId=ACCOUNT, MaxResults=2, **kwargs))
            assert len(page["Jobs"]) <= 2, page
            seen += [j["JobId"] for j in page["Jobs"]]
            pages += 1
            token = page.get("NextToken")
            if not token:
                break
        whole = [j["JobId"] for j in s3c.list_jobs(AccountId=ACCOUNT)["Jobs"]]
        complete = s3c.list_jobs(AccountId=ACCOUNT, JobStatuses=["Complete"])["Jobs"]
        new = s3c.list_jobs(AccountId=ACCOUNT, JobStatuses=["New", "Active"])["Jobs"]
        bad = error_code(lambda: s3c.list_jobs(AccountId=ACCOUNT, NextToken="bm90LWEtdG9rZW4"))
        emit({"mine": mine, "seen": seen, "pages": pages, "whole": whole,
              "complete": complete, "new": [j["JobId"] for j in new], "bad": bad})
        """);

    Set<String> seen = new HashSet<>();
    out.get("seen").forEach(id -> seen.add(id.asText()));
    assertEquals(out.get("seen").size(), seen.size(), "a job on two pages: " + out);
    out.get("mine").forEach(id -> assertTrue(seen.contains(id.asText()), out.toString()));
    assertTrue(out.get("pages").asInt() >= 3, out.toString());
    assertEquals(out.get("whole"), out.get("seen"), "pages put together are the whole list");
    assertEquals(0, out.get("complete").size());
    out.get("mine").forEach(id -> assertTrue(out.get("new").toString().contains(id.asText())));
    assertEquals("InvalidNextTokenException", out.at("/bad/Code").asText());
    assertEquals(400, out.at("/bad/Status").asInt());
  }

  @Test
  void priorityAndStatusUpdatesChangeTheStoredJob() throws Exception {
    JsonNode out = Boto3Script.run(api, """
        job_id = s3c.create_job(**job_args(ConfirmationRequired=True))["JobId"]
        priority = check("UpdateJobPriority", s3c.update_job_priority(AccountId=ACCOUNT,
            JobId=job_id, Priority=42))
        ready = check("UpdateJobStatus", s3c.update_job_status(AccountId=ACCOUNT, JobId=job_id,
            RequestedJobStatus="Ready", StatusUpdateReason="looked at it"))
        cancelled = check("UpdateJobStatus", s3c.update_job_status(AccountId=ACCOUNT,
            JobId=job_id, RequestedJobStatus="Cancelled"))
        ended = error_code(lambda: s3c.update_job_priority(AccountId=ACCOUNT, JobId=job_id,
            Priority=1))
        again = error_code(lambda: s3c.update_job_status(AccountId=ACCOUNT, JobId=job_id,
            RequestedJobStatus="Ready"))
        emit({"id": job_id, "priority": priority, "ready": ready, "cancelled": cancelled,
              "ended": ended, "again": again})
        """);

    String jobId = out.get("id").asText();
    assertEquals(42, out.at("/priority/Priority").asInt());
    assertEquals("Ready", out.at("/ready/Status").asText());
    assertEquals("looked at it", out.at("/ready/StatusUpdateReason").asText());
    assertEquals("Cancelled", out.at("/cancelled/Status").asText());
    assertEquals("BadRequestException", out.at("/ended/Code").asText());
    assertTrue(out.at("/ended/Message").asText().contains("ended job"), out.toString());
    assertEquals("JobStatusException", out.at("/again/Code").asText());
    JobRecord stored = api.store.get(jobId);
    assertEquals(42, stored.priority());
    assertEquals(JobStatus.CANCELLED, stored.status());
  }

  @Test
  void jobTagsArePutReadAndDeleted() throws Exception {
    JsonNode out = Boto3Script.run(api, """
        job_id = s3c.create_job(**job_args(Tags=[{"Key": "a", "Value": "1"}]))["JobId"]
        check("PutJobTagging", s3c.put_job_tagging(AccountId=ACCOUNT, JobId=job_id,
            Tags=[{"Key": "b", "Value": "2"}, {"Key": "c", "Value": ""}]))
        after_put = s3c.get_job_tagging(AccountId=ACCOUNT, JobId=job_id)["Tags"]
        too_many = error_code(lambda: s3c.put_job_tagging(AccountId=ACCOUNT, JobId=job_id,
            Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(51)]))
        check("DeleteJobTagging", s3c.delete_job_tagging(AccountId=ACCOUNT, JobId=job_id))
        after_delete = s3c.get_job_tagging(AccountId=ACCOUNT, JobId=job_id)["Tags"]
        emit({"id": job_id, "after_put": after_put, "too_many": too_many,
              "after_delete": after_delete})
        """);

    assertEquals("[{\"Key\":\"b\",\"Value\":\"2\"},{\"Key\":\"c\",\"Value\":\"\"}]",
        out.get("after_put").toString());
    assertEquals("TooManyTagsException", out.at("/too_many/Code").asText());
    assertEquals(0, out.get("after_delete").size());
    assertTrue(api.store.get(out.get("id").asText()).tags().isEmpty());
  }

  @Test
  void unknownJobRaisesTheModelledNotFoundException() throws Exception {
    JsonNode out = Boto3Script.run(api, """
        try:
            s3c.describe_job(AccountId=ACCOUNT, JobId="0f8fad5b-d9cb-469f-a165-70867728950e")
            raise AssertionError("described a job that does not exist")
        except s3c.exceptions.NotFoundException as e:
            emit({"class": type(e).__name__, "message": e.response["Error"]["Message"],
                  "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                  "request_id": e.response["ResponseMetadata"].get("RequestId")})
        """);

    assertEquals("NotFoundException", out.get("class").asText());
    assertEquals(404, out.get("status").asInt());
    assertTrue(out.get("message").asText().contains("0f8fad5b-d9cb-469f-a165-70867728950e"));
    assertFalse(out.get("request_id").asText("").isEmpty(), out.toString());
  }

  @Test
  void createJobOfABadSpecIsRefusedNamingTheFieldAndRecordsNothing() throws Exception {
    int before = api.store.list().jobs().size();
    JsonNode out = Boto3Script.run(api, """
        emit(error_code(lambda: s3c.create_job(**job_args(Operation={"S3PutObjectCopy": {
            "TargetResource": "not-a-bucket-arn"}}))))
        """);

    assertEquals("BadRequestException", out.get("Code").asText());
    assertEquals(400, out.get("Status").asInt());
    assertTrue(out.get("Message").asText().contains("Operation.S3PutObjectCopy.TargetResource"),
        out.toString());
    assertEquals(before, api.store.list().jobs().size());
  }
}
