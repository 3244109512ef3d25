package io.github.s3batchspark.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.service.JobService;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole loop on moto and local Spark, as {@code serve} wires it: an inventory report lands
 * in a bucket whose notifications go to the trigger's queue, the trigger creates one job, the
 * service runs it, and the notice of its completion reaches SQS and SNS.
 */
class InventoryArrivalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalS3Server MOTO = LocalS3Server.moto();
  private static final ClientSettings CLIENTS =
      MOTO.clientSettings().withEventsEndpoint(MOTO.endpoint());

  @TempDir Path dir;

  @Test
  @Timeout(240)
  void inventoryArrivingStartsExactlyOneJobWhoseCompletionReachesSqsAndSns() throws Exception {
    S3Client s3 = MOTO.client();
    ExecutorClients aws = ExecutorClients.get(CLIENTS);
    MotoQueues queues = new MotoQueues(aws);
    String source = Buckets.create(s3, "arrsrc");
    String destination = Buckets.create(s3, "arrinv");
    List<InventoryFixture.Entry> entries = new ArrayList<>();
    for (String key : List.of("a", "b", "c")) {
      String etag = Buckets.put(s3, source, key, key).replace("\"", "");
      entries.add(InventoryFixture.Entry.current(source, key, 1, etag, "STANDARD"));
    }
    String triggerQueue = queues.create();
    s3.putBucketNotificationConfiguration(b -> b.bucket(destination).notificationConfiguration(
        n -> n.queueConfigurations(q -> q.queueArn(queues.arn(triggerQueue))
            .eventsWithStrings("s3:ObjectCreated:*"))));
    String doneQueue = queues.create();
    String[] topicQueue = queues.topicIntoQueue();
    String topic = topicQueue[0];
    String snsQueue = topicQueue[1];
    Path templateFile = dir.resolve("template.json");
    Files.writeString(templateFile, """
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "inv", "Value": "seen"}]}},
         "Manifest": {}, "Report": {"Enabled": false},
         "Priority": 10, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """);
    JobStore store = HadoopJobStore.open(dir.resolve("store").toString(), new Configuration(),
        null);
    NoticeSettings notices = new NoticeSettings(List.of(NoticeTarget.parse("sqs:" + doneQueue),
        NoticeTarget.parse("sns:" + topic)), false, null, false, Duration.ofMinutes(1), CLIENTS);
    ManifestTrigger trigger = new ManifestTrigger(notices, triggerQueue,
        JobTemplate.read(templateFile), spec -> JobRunner.create(store, spec, CLIENTS), 1);

    try (JobService service = JobService.start(LocalSpark.session(), store,
            RunSettings.defaults().withClients(CLIENTS).withPartitions(2), 1,
            Duration.ofMillis(500), notices);
        Triggers triggers = Triggers.start(trigger, null)) {
      InventoryFixture.write(s3, LocalSpark.session(), destination,
          InventoryFixture.Format.CSV, false, entries, 1);
      JsonNode done = JSON.readTree(queues.receiveOne(doneQueue, 180));

      List<JobRecord> jobs = store.list().jobs();
      assertEquals(1, jobs.size(), jobs.toString());
      JobRecord job = store.get(jobs.get(0).jobId());
      assertEquals(JobStatus.COMPLETE, job.status());
      assertEquals(3, job.progress().numberOfTasksSucceeded());
      assertEquals(job.jobId(), done.at("/serviceEventDetails/jobId").asText());
      assertEquals("Complete", done.at("/serviceEventDetails/status").asText());
      JsonNode viaSns = JSON.readTree(JSON.readTree(queues.receiveOne(snsQueue, 20))
          .get("Message").asText());
      assertEquals(job.jobId(), viaSns.at("/serviceEventDetails/jobId").asText());
    }
  }
}
