package io.github.s3batchspark.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Triggers on moto: S3's own event notifications of a new inventory manifest.json, sent to an
 * SQS queue, create one job per manifest; a cron schedule creates its job when an injected
 * clock reaches the scheduled minute.
 */
class TriggersTest {
  private static final LocalS3Server MOTO = LocalS3Server.moto();
  private static final ClientSettings CLIENTS =
      MOTO.clientSettings().withEventsEndpoint(MOTO.endpoint());
  private static final String TEMPLATE = """
      {"AccountId": "123456789012",
       "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "seen", "Value": "yes"}]}},
       "Manifest": {},
       "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "reports", "Enabled": true,
                  "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
       "Priority": 10, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
      """;

  @TempDir Path dir;

  @Test
  void newInventoryManifestCreatesExactlyOneJobAndTheSameManifestAgainNone() throws Exception {
    S3Client s3 = MOTO.client();
    String bucket = Buckets.create(s3, "inventory");
    MotoQueues queues = new MotoQueues(ExecutorClients.get(CLIENTS));
    String queue = queues.create();
    s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(
        n -> n.queueConfigurations(q -> q.queueArn(queues.arn(queue))
            .eventsWithStrings("s3:ObjectCreated:*"))));
    JobStore store = store();
    ManifestTrigger trigger = new ManifestTrigger(NoticeSettings.none(CLIENTS), queue,
        template(bucket), spec -> JobRunner.create(store, spec), 1);
    String key = "inv/src/daily/2026-12-01T01-00Z/manifest.json";
    Buckets.put(s3, bucket, "inv/src/daily/2026-12-01T01-00Z/manifest.checksum", "x");
    String etag = Buckets.put(s3, bucket, key, "{\"files\": []}").replace("\"", "");

    List<JobRecord> first = pollUntilAJob(trigger);

    assertEquals(1, first.size(), first.toString());
    JobRecord job = store.get(first.get(0).jobId());
    assertEquals("arn:aws:s3:::" + bucket + "/" + key,
        job.spec().request().manifest().location().objectArn());
    assertEquals(etag, job.spec().request().manifest().location().eTag());
    assertEquals(JobTemplate.INVENTORY_FORMAT,
        job.spec().request().manifest().spec().format());

    Buckets.put(s3, bucket, key, "{\"files\": []}"); // the same manifest announced again
    List<JobRecord> again = pollUntilAJob(trigger);
    assertEquals(List.of(job.jobId()), again.stream().map(JobRecord::jobId).toList());
    assertEquals(1, store.list().jobs().size(), "one job for one manifest");
    assertTrue(ExecutorClients.get(CLIENTS).sqs().receiveMessage(b -> b.queueUrl(queue)
        .waitTimeSeconds(1)).join().messages().isEmpty(), "the messages were deleted");
  }

  @Test
  void cronTriggerCreatesItsJobAtTheScheduledMinuteOnce() throws Exception {
    JobStore store = store();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T02:59:30Z"));
    String bucket = Buckets.create(MOTO.client(), "cron");
    JobTemplate template = templateWithManifest(bucket);
    CronTrigger trigger = new CronTrigger(CronSchedule.parse("0 3 * * *"), template,
        spec -> JobRunner.create(store, spec), clock);

    assertEquals(Optional.empty(), trigger.check(), "not before 03:00");
    clock.now = Instant.parse("2026-12-03T03:00:04Z");
    Optional<JobRecord> fired = trigger.check();
    assertTrue(fired.isPresent());
    assertEquals(Optional.empty(), trigger.check(), "once for 03:00");
    assertEquals(ZonedDateTime.parse("2026-12-04T03:00Z"), trigger.next());
    assertEquals(1, store.list().jobs().size());

    // a second service sharing the store, its clock at the same minute, creates nothing more
    MutableClock other = new MutableClock(Instant.parse("2026-12-03T02:59:59Z"));
    CronTrigger second = new CronTrigger(CronSchedule.parse("0 3 * * *"), template,
        spec -> JobRunner.create(store, spec), other);
    other.now = Instant.parse("2026-12-03T03:00:30Z");
    assertEquals(fired.get().jobId(), second.check().orElseThrow().jobId());
    assertEquals(1, store.list().jobs().size());
  }

  private static List<JobRecord> pollUntilAJob(ManifestTrigger trigger) {
    List<JobRecord> jobs = new ArrayList<>();
    for (int i = 0; i < 10 && jobs.isEmpty(); i++) {
      jobs.addAll(trigger.poll());
    }
    return jobs;
  }

  private JobTemplate template(String reportBucket) throws Exception {
    Path file = dir.resolve("template.json");
    Files.writeString(file, TEMPLATE.formatted(reportBucket));
    return JobTemplate.read(file);
  }

  private JobTemplate templateWithManifest(String bucket) throws Exception {
    String etag = Buckets.put(MOTO.client(), bucket, "manifest.csv", bucket + ",a\n")
        .replace("\"", "");
    Path file = dir.resolve("cron.json");
    Files.writeString(file, TEMPLATE.formatted(bucket).replace("\"Manifest\": {}",
        "\"Manifest\": {\"Spec\": {\"Format\": \"S3BatchOperations_CSV_20180820\", \"Fields\": "
            + "[\"Bucket\", \"Key\"]}, \"Location\": {\"ObjectArn\": \"arn:aws:s3:::" + bucket
            + "/manifest.csv\", \"ETag\": \"" + etag + "\"}}"));
    return JobTemplate.read(file);
  }

  private JobStore store() throws Exception {
    return HadoopJobStore.open(Files.createTempDirectory(dir, "store").toString(),
        new Configuration(), null);
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
