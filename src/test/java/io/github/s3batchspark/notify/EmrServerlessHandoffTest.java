package io.github.s3batchspark.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.cli.S3Batch;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.spec.S3Tag;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emrserverless.model.JobRun;

/**
 * Issue 15's "a trigger may hand the job to EMR Serverless": a new inventory manifest announced
 * on SQS (moto) creates its job in the store and starts one job run on moto's EMR Serverless,
 * the shaded jar running {@code run --job-id ID --job-store STORE}; the job's tag names the run,
 * and the same manifest announced again starts no second run.
 */
class EmrServerlessHandoffTest {
  private static final LocalS3Server MOTO = LocalS3Server.moto();
  private static final ClientSettings CLIENTS =
      MOTO.clientSettings().withEventsEndpoint(MOTO.endpoint());
  private static final ExecutorClients AWS = ExecutorClients.get(CLIENTS);
  private static final String JAR = "s3://artifacts/s3-batch-spark/s3-batch-spark.jar";
  private static final String ROLE = "arn:aws:iam::123456789012:role/s3batch-emr-serverless";
  private static final String TEMPLATE = """
      {"AccountId": "123456789012",
       "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "seen", "Value": "yes"}]}},
       "Manifest": {},
       "Report": {"Bucket": "arn:aws:s3:::reports", "Prefix": "r", "Enabled": true,
                  "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
       "Priority": 10, "RoleArn": "arn:aws:iam::123456789012:role/batch",
       "Tags": [{"Key": "team", "Value": "storage"}]}
      """;

  @TempDir static Path dir;
  private static String application;
  private static JobStore store;
  private static ManifestTrigger trigger;
  private static String queue;

  @BeforeAll
  static void triggerHandingItsJobsToEmrServerless() throws Exception {
    application = AWS.emrServerless().createApplication(b -> b.name("s3batch-" + UUID.randomUUID())
        .releaseLabel("emr-7.5.0").type("SPARK")).join().applicationId();
    store = HadoopJobStore.open(Files.createTempDirectory(dir, "store").toString(),
        new Configuration(), null);
    Path template = dir.resolve("template.json");
    Files.writeString(template, TEMPLATE);
    EmrServerless where = new EmrServerless(application, ROLE, JAR,
        "--class " + S3Batch.class.getName(), "s3://artifacts/logs/");
    var handoff = new EmrServerlessHandoff(where, store,
        spec -> JobRunner.create(store, spec), CLIENTS);
    queue = AWS.sqs().createQueue(b -> b.queueName("q-" + UUID.randomUUID())).join().queueUrl();
    trigger = new ManifestTrigger(NoticeSettings.none(CLIENTS), queue,
        JobTemplate.read(template), handoff, 1);
  }

  @Test
  void newManifestStartsOneJobRunOfTheRunVerbOnItsJobAndTheSameManifestAgainNone() {
    announce("inventory", "inv/daily/2026-12-03T01-00Z/manifest.json", "0123456789abcdef");
    List<JobRecord> first = pollUntilAJob();
    assertEquals(1, first.size(), first.toString());
    JobRecord job = store.get(first.get(0).jobId());

    List<JobRun> runs = jobRuns();
    assertEquals(1, runs.size(), runs.toString());
    JobRun run = runs.get(0);
    // (moto's GetJobRun gives back no executionRole, so the role is not compared here)
    var driver = run.jobDriver().sparkSubmit();
    assertEquals(JAR, driver.entryPoint());
    assertEquals(List.of("run", "--job-id", job.jobId(), "--job-store", store.location()),
        driver.entryPointArguments());
    assertEquals("--class " + S3Batch.class.getName(), driver.sparkSubmitParameters());
    assertEquals(List.of(new S3Tag("team", "storage"), new S3Tag(EmrServerlessHandoff.TAG,
        "emr-serverless:" + application + "/" + run.jobRunId())), job.tags());
    assertEquals(JobStatus.NEW, job.status(), "the run on EMR Serverless takes it from here");

    announce("inventory", "inv/daily/2026-12-03T01-00Z/manifest.json", "0123456789abcdef");
    List<JobRecord> again = pollUntilAJob();
    assertEquals(List.of(job.jobId()), again.stream().map(JobRecord::jobId).toList());
    assertEquals(1, jobRuns().size(), "one run for one manifest");
    assertEquals(1, store.list().jobs().size());
    assertTrue(EmrServerlessHandoff.isHandedOff(store.get(job.jobId())));
  }

  private static List<JobRun> jobRuns() {
    List<JobRun> runs = new ArrayList<>();
    for (var summary : AWS.emrServerless().listJobRuns(b -> b.applicationId(application)).join()
        .jobRuns()) {
      runs.add(AWS.emrServerless().getJobRun(b -> b.applicationId(application)
          .jobRunId(summary.id())).join().jobRun());
    }
    return runs;
  }

  /** The S3 event notification S3 sends when the manifest is written. */
  private static void announce(String bucket, String key, String etag) {
    String body = """
        {"Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "%s"},
          "object": {"key": "%s", "eTag": "%s"}}}]}""".formatted(bucket, key, etag);
    AWS.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body)).join();
  }

  private static List<JobRecord> pollUntilAJob() {
    List<JobRecord> jobs = new ArrayList<>();
    for (int i = 0; i < 10 && jobs.isEmpty(); i++) {
      jobs.addAll(trigger.poll());
    }
    return jobs;
  }
}
