package io.github.s3batchspark.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpecException;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.Owner;
import io.github.s3batchspark.job.RunHooks;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 15's "every status change of a job can be sent as an event": jobs run on local Spark and
 * moto through a {@link NotifyingJobStore}; the job's own {@code Notifications} and the
 * service's targets (SQS, SNS and EventBridge, each read back through a queue) receive one
 * JobStatusChanged event per status the job passed through, in order, and a target that cannot
 * be reached costs the job nothing.
 */
class JobStatusEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalS3Server MOTO = LocalS3Server.moto();
  private static final ClientSettings CLIENTS =
      MOTO.clientSettings().withEventsEndpoint(MOTO.endpoint());
  private static final ExecutorClients AWS = ExecutorClients.get(CLIENTS);
  private static final MotoQueues QUEUES = new MotoQueues(AWS);
  private static final String TAGGING =
      "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"k\", \"Value\": \"v\"}]}}";
  private static final List<String> COMPLETED = List.of("New", "Preparing", "Ready", "Active",
      "Completing", "Complete");

  private static SparkSession spark;
  private static String bucket;
  private static String manifestEtag;
  private static String everyStatusQueue;
  private static String completeOnlyQueue;
  private static String snsQueue;
  private static String eventsQueue;
  private static String cancelledQueue;
  private static JobRecord completed;
  private static JobRecord cancelled;

  @BeforeAll
  static void runOneJobToItsEndAndCancelOneAwaitingConfirmation() throws Exception {
    spark = LocalSpark.session();
    S3Client s3 = MOTO.client();
    bucket = Buckets.create(s3, "events");
    Buckets.put(s3, bucket, "a", "x");
    Buckets.put(s3, bucket, "b", "y");
    manifestEtag = Buckets.put(s3, bucket, "manifest.csv", bucket + ",a\n" + bucket + ",b\n")
        .replace("\"", "");

    everyStatusQueue = QUEUES.create();
    completeOnlyQueue = QUEUES.create();
    String[] topicQueue = QUEUES.topicIntoQueue();
    String topic = topicQueue[0];
    snsQueue = topicQueue[1];
    String[] busQueue = QUEUES.busIntoQueue(
        "{\"source\": [\"s3batchspark\"], \"detail\": {\"eventName\": [\"JobStatusChanged\"]}}");
    String bus = busQueue[0];
    eventsQueue = busQueue[1];

    // the service tells SNS and EventBridge of every status; an unreachable queue among its
    // targets and the job's is retried, logged and skipped
    String missing = MOTO.endpoint() + "/123456789012/no-such-queue-" + UUID.randomUUID();
    NoticeSettings service = new NoticeSettings(List.of(NoticeTarget.parse("sns:" + topic),
        NoticeTarget.parse("sqs:" + missing), NoticeTarget.parse("events:" + bus)), false, null,
        false, Duration.ofMinutes(1), CLIENTS);
    try (NotifyingJobStore store = new NotifyingJobStore(newStore(), service,
        EnumSet.allOf(JobStatus.class), Clock.systemUTC())) {
      String json = withNotifications(job(), """
          [{"Target": "sqs:%s"},
           {"Target": "sqs:%s", "Events": ["Complete"]},
           {"Target": "sqs:%s", "Events": ["Active", "Complete"]}]"""
          .formatted(everyStatusQueue, completeOnlyQueue, missing));
      JobRecord job = JobRunner.create(store, JobSpecParser.parse(json));
      RunSettings run = RunSettings.defaults().withClients(MOTO.clientSettings())
          .withPartitions(2);
      completed = new JobRunner(spark, store, run).run(job.jobId(), RunHooks.none());
    }

    cancelledQueue = QUEUES.create();
    try (NotifyingJobStore store = new NotifyingJobStore(newStore(),
        NoticeSettings.none(CLIENTS), Set.of(), Clock.systemUTC())) {
      ObjectNode confirm = (ObjectNode) JSON.readTree(withNotifications(job(),
          "[{\"Target\": \"sqs:" + cancelledQueue + "\"}]"));
      confirm.put("ConfirmationRequired", true);
      JobRecord job = JobRunner.create(store, JobSpecParser.parse(confirm.toString()));
      cancelled = store.update(job.jobId(), Owner.USER,
          r -> r.withRequestedStatus(JobStatus.CANCELLED, "not today"));
    }
  }

  @Test
  void jobsOwnTargetIsToldOfEveryStatusOfItsRunInOrder() throws Exception {
    assertEquals(JobStatus.COMPLETE, completed.status());
    List<JsonNode> events = QUEUES.receiveUntilQuiet(everyStatusQueue, COMPLETED.size());
    assertEquals(COMPLETED, statuses(events));
    for (JsonNode event : events) {
      assertEquals("JobStatusChanged", event.get("eventName").asText());
      assertEquals(completed.jobId(), event.at("/serviceEventDetails/jobId").asText());
      assertEquals(event.at("/serviceEventDetails/status").asText(),
          event.at("/Job/Status").asText());
    }
    assertEquals(COMPLETED.size(), events.stream()
        .map(e -> e.at("/serviceEventDetails/jobEventId").asText()).distinct().count(),
        "each change has its own event id");
  }

  @Test
  void jobsTargetListingEventsIsToldOfThoseOnly() throws Exception {
    assertEquals(List.of("Complete"), statuses(QUEUES.receiveUntilQuiet(completeOnlyQueue, 2)));
  }

  @Test
  void serviceTargetsHearEveryStatusThroughSnsAndEventBridge() throws Exception {
    List<JsonNode> viaSns = new ArrayList<>();
    for (JsonNode envelope : QUEUES.receiveUntilQuiet(snsQueue, COMPLETED.size())) {
      viaSns.add(JSON.readTree(envelope.get("Message").asText()));
    }
    assertEquals(COMPLETED, statuses(viaSns));
    List<String> viaEvents = QUEUES.receiveUntilQuiet(eventsQueue, COMPLETED.size()).stream()
        .map(e -> e.at("/detail/serviceEventDetails/status").asText()).toList();
    assertEquals(COMPLETED, viaEvents);
  }

  @Test
  void jobCancelledWhileAwaitingConfirmationIsToldOfEachMove() throws Exception {
    assertEquals(JobStatus.CANCELLED, cancelled.status());
    assertEquals(List.of("New", "Preparing", "Suspended", "Cancelled"),
        statuses(QUEUES.receiveUntilQuiet(cancelledQueue, 4)));
  }

  @Test
  void notificationsAreRefusedAtCreateJobNamingTheField() throws Exception {
    String webhook = refusal("[{\"Target\": \"webhook:http://169.254.169.254/\"}]");
    assertTrue(webhook.contains("Notifications[0].Target") && webhook.contains("webhook"),
        webhook);
    String malformed = refusal("[{\"Target\": \"sqs\"}, {\"Target\": \"sns:topic\"}]");
    assertTrue(malformed.contains("Notifications[0].Target: \"sqs\" is not a target")
        && malformed.contains("Notifications[1].Target: \"sns:topic\""), malformed);
    String status = refusal("[{\"Target\": \"events:default\", \"Events\": [\"Done\"]}]");
    assertTrue(status.contains("Notifications[0].Events[0]") && status.contains("Done"), status);
    String unknown = refusal("[{\"Target\": \"events:default\", \"When\": \"always\"}]");
    assertTrue(unknown.contains("Notifications[0]") && unknown.contains("When"), unknown);
  }

  private static String refusal(String notifications) {
    return assertThrows(JobSpecException.class,
        () -> JobSpecParser.parse(withNotifications(job(), notifications))).getMessage();
  }

  private static String job() {
    return CsvJobJson.of(TAGGING, bucket, manifestEtag, "r-" + UUID.randomUUID());
  }

  private static String withNotifications(String job, String notifications) {
    try {
      ObjectNode tree = (ObjectNode) JSON.readTree(job);
      tree.set("Notifications", JSON.readTree(notifications));
      return tree.toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> statuses(List<JsonNode> events) {
    return events.stream().map(e -> e.at("/serviceEventDetails/status").asText()).toList();
  }

  private static HadoopJobStore newStore() throws java.io.IOException {
    var dir = Files.createTempDirectory("status-events");
    dir.toFile().deleteOnExit();
    return HadoopJobStore.open(dir.toString(), new Configuration(), null);
  }
}
