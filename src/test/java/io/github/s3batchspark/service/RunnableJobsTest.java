package io.github.s3batchspark.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.notify.EmrServerlessHandoff;
import io.github.s3batchspark.testing.CsvJobJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which jobs a service takes: never one a trigger handed to EMR Serverless. */
class RunnableJobsTest {
  private static final Instant NOW = Instant.parse("2026-12-03T17:00:00Z");

  @Test
  void jobHandedToEmrServerlessIsNeverRunByTheService() {
    JobRecord here = job("[]", "11111111-1111-4111-8111-111111111111");
    JobRecord there = job("[{\"Key\": \"" + EmrServerlessHandoff.TAG + "\", \"Value\": "
        + "\"emr-serverless:00fabcdexample01/00abc\"}]", "22222222-2222-4222-8222-222222222222");

    assertEquals(List.of(here.jobId()), RunnableJobs.inOrder(List.of(there, here), NOW).stream()
        .map(JobRecord::jobId).toList());
  }

  private static JobRecord job(String tags, String jobId) {
    String json = CsvJobJson.of("{\"S3PutObjectTagging\": {\"TagSet\": []}}", "b", "e", "r")
        .replace("\"Priority\": 1,", "\"Priority\": 1, \"Tags\": " + tags + ",");
    return JobRecord.newJob(jobId, JobSpecParser.parse(json), NOW, "us-east-1");
  }
}
