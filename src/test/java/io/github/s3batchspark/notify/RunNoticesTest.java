package io.github.s3batchspark.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.LiveProgress;
import io.github.s3batchspark.job.RunHooks;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * A job run on local Spark and moto, wrapped with its notices: each kind of notice arrives where
 * it was sent (SQS directly, SNS and EventBridge through a queue subscribed or targeted, SES
 * counted by moto, a webhook on a local server that checks the signature), a failed job's
 * notice carries its failure reasons, and CloudWatch holds the job's metrics.
 */
class RunNoticesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cr3t";
  private static final LocalS3Server MOTO = LocalS3Server.moto();
  private static final ClientSettings CLIENTS =
      MOTO.clientSettings().withEventsEndpoint(MOTO.endpoint());
  private static final ExecutorClients AWS = ExecutorClients.get(CLIENTS);
  private static final MotoQueues QUEUES = new MotoQueues(AWS);

  private static SparkSession spark;
  private static HttpServer webhook;
  private static final CompletableFuture<String[]> POSTED = new CompletableFuture<>();
  private static String sqsQueue;
  private static String snsQueue;
  private static String eventsQueue;
  private static String failedQueue;
  private static double sentEmailsBefore;
  private static JobRecord complete;
  private static JobRecord failed;

  @BeforeAll
  static void runOneJobThatCompletesAndOneThatFails() throws Exception {
    spark = LocalSpark.session();
    webhook = webhookServer();
    S3Client s3 = MOTO.client();
    String bucket = Buckets.create(s3, "notify");
    Buckets.put(s3, bucket, "a", "x");
    Buckets.put(s3, bucket, "b", "y");
    String etag = Buckets.put(s3, bucket, "manifest.csv", bucket + ",a\n" + bucket + ",b\n");
    String tagging = "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"k\", \"Value\": "
        + "\"v\"}]}}";

    sqsQueue = QUEUES.create();
    String[] topicQueue = QUEUES.topicIntoQueue();
    String topic = topicQueue[0];
    snsQueue = topicQueue[1];
    String[] busQueue = QUEUES.busIntoQueue(
        "{\"source\": [\"s3batchspark\"], \"detail-type\": [\"AWS Service Event via CloudTrail\"],"
            + " \"detail\": {\"eventName\": [\"JobStatusChanged\"]}}");
    String bus = busQueue[0];
    eventsQueue = busQueue[1];
    AWS.ses().verifyEmailIdentity(b -> b.emailAddress("jobs@example.com")).join();
    sentEmailsBefore = AWS.ses().getSendQuota().join().sentLast24Hours();
    String hook = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/jobs";

    NoticeSettings everywhere = notices("sqs:" + sqsQueue, "sns:" + topic, "events:" + bus,
        "ses:jobs@example.com:ops@example.com", "webhook:" + hook).withMetrics(true,
            Duration.ofMinutes(1));
    complete = run(everywhere, CsvJobJson.of(tagging, bucket, etag.replace("\"", ""), "r"));

    failedQueue = QUEUES.create();
    String missingManifest = CsvJobJson.of(tagging, bucket, etag.replace("\"", ""), "r")
        .replace("/manifest.csv", "/no-such-manifest.csv");
    NoticeSettings alsoOnStart = new NoticeSettings(List.of(NoticeTarget.parse("sqs:"
        + failedQueue)), true, null, false, Duration.ofMinutes(1), CLIENTS);
    failed = run(alsoOnStart, missingManifest);
  }

  @AfterAll
  static void stopWebhook() {
    webhook.stop(0);
  }

  @Test
  void sqsQueueReceivesTheJobStatusChangedEventWithDescribeJobsJob() throws Exception {
    assertEquals(JobStatus.COMPLETE, complete.status());
    JsonNode event = JSON.readTree(QUEUES.receiveOne(sqsQueue, 10));
    assertEquals("JobStatusChanged", event.get("eventName").asText());
    assertEquals("s3.amazonaws.com", event.get("eventSource").asText());
    assertEquals(complete.jobId(), event.at("/serviceEventDetails/jobId").asText());
    assertEquals(complete.jobArn(), event.at("/serviceEventDetails/jobArn").asText());
    assertEquals("Complete", event.at("/serviceEventDetails/status").asText());
    assertEquals(2, event.at("/Job/ProgressSummary/NumberOfTasksSucceeded").asLong());
    assertEquals("Complete", event.at("/Job/Status").asText());
    assertTrue(event.get("message").asText().contains("2 of 2 tasks succeeded"),
        event.get("message").asText());
  }

  @Test
  void snsTopicDeliversTheEventToItsSubscribedQueue() throws Exception {
    JsonNode envelope = JSON.readTree(QUEUES.receiveOne(snsQueue, 10));
    assertEquals("S3 Batch Operations job " + complete.jobId() + " is Complete",
        envelope.get("Subject").asText());
    JsonNode event = JSON.readTree(envelope.get("Message").asText());
    assertEquals(complete.jobId(), event.at("/serviceEventDetails/jobId").asText());
  }

  @Test
  void eventBridgeRuleMatchingAmazonsDetailTypeRoutesTheEventToItsQueue() throws Exception {
    JsonNode event = JSON.readTree(QUEUES.receiveOne(eventsQueue, 10));
    assertEquals("AWS Service Event via CloudTrail", event.get("detail-type").asText());
    assertEquals("s3batchspark", event.get("source").asText());
    assertEquals(complete.jobArn(), event.at("/resources/0").asText());
    assertEquals("Complete", event.at("/detail/serviceEventDetails/status").asText());
  }

  @Test
  void sesSendsOneEmailForTheJobsEnd() {
    assertEquals(sentEmailsBefore + 1, AWS.ses().getSendQuota().join().sentLast24Hours());
  }

  @Test
  void webhookReceivesTheEventSignedWithTheSharedSecret() throws Exception {
    String[] posted = POSTED.get(10, TimeUnit.SECONDS);
    String body = posted[0];
    assertEquals(WebhookSignature.of(SECRET, body.getBytes(StandardCharsets.UTF_8)), posted[1]);
    assertTrue(posted[1].startsWith("sha256=") && posted[1].length() == 7 + 64, posted[1]);
    assertEquals(complete.jobId(), JSON.readTree(body).at("/serviceEventDetails/jobId")
        .asText());
  }

  @Test
  void failedJobStillNotifiesWithItsFailureReasonsAfterItsStartNotice() throws Exception {
    assertEquals(JobStatus.FAILED, failed.status());
    List<JsonNode> events = QUEUES.receive(failedQueue, 2);
    List<String> statuses = events.stream()
        .map(e -> e.at("/serviceEventDetails/status").asText()).toList();
    assertEquals(2, statuses.size(), statuses.toString());
    assertEquals(1, statuses.stream().filter("Failed"::equals).count(),
        "one notice of the end, one of the start: " + statuses);
    JsonNode event = events.stream()
        .filter(e -> e.at("/serviceEventDetails/status").asText().equals("Failed"))
        .findFirst().orElseThrow();
    assertEquals("Failed", event.at("/serviceEventDetails/status").asText());
    String code = failed.failureReasons().get(0).failureCode();
    assertEquals(code, event.at("/serviceEventDetails/failureCodes/0").asText());
    assertEquals(failed.failureReasons().get(0).failureReason(),
        event.at("/serviceEventDetails/statusChangeReason/0").asText());
    assertTrue(event.get("message").asText().contains(code), event.get("message").asText());
  }

  @Test
  void cloudWatchHoldsTheJobsMetricsUnderItsJobId() {
    var metrics = AWS.cloudWatch().listMetrics(b -> b.namespace(JobMetrics.NAMESPACE)
        .dimensions(d -> d.name("JobId").value(complete.jobId()))).join().metrics();
    assertEquals(List.of(JobMetrics.OBJECTS_PER_SECOND, JobMetrics.FAILED,
            JobMetrics.SUCCEEDED, JobMetrics.TOTAL),
        metrics.stream().map(m -> m.metricName()).distinct().sorted().toList());
  }

  @Test
  void liveCountsArePublishedAtMostOncePerIntervalAndTheLastCountsShow() {
    String jobId = UUID.randomUUID().toString();
    Instant start = Instant.parse("2026-12-03T10:00:00Z");
    Instant[] now = {start};
    Clock clock = new Clock() {
      @Override public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override public Instant instant() {
        return now[0];
      }
    };
    JobMetrics metrics = new JobMetrics(notices().withMetrics(true, Duration.ofMinutes(1)),
        clock);

    metrics.accept(new LiveProgress(jobId, 100, 10, 0, 0, 0, 3, 3.3));
    now[0] = start.plusSeconds(30);
    metrics.accept(new LiveProgress(jobId, 100, 40, 1, 0, 0, 33, 1.2)); // within the minute
    now[0] = start.plusSeconds(61);
    metrics.accept(new LiveProgress(jobId, 100, 70, 2, 0, 0, 64, 1.1));

    var stats = AWS.cloudWatch().getMetricStatistics(b -> b.namespace(JobMetrics.NAMESPACE)
        .metricName(JobMetrics.SUCCEEDED).dimensions(d -> d.name("JobId").value(jobId))
        .startTime(start.minusSeconds(3600)).endTime(start.plusSeconds(3600)).period(7200)
        .statistics(Statistic.SAMPLE_COUNT, Statistic.MAXIMUM)).join().datapoints();
    assertEquals(1, stats.size(), stats.toString());
    assertEquals(2.0, stats.get(0).sampleCount(), "two publications, the second one skipped");
    assertEquals(70.0, stats.get(0).maximum());
  }

  private static JobRecord run(NoticeSettings settings, String json) {
    JobStore store = HadoopJobStore.open(tempDir(), new Configuration(), null);
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(json));
    RunSettings runSettings = RunSettings.defaults().withClients(MOTO.clientSettings())
        .withPartitions(2);
    return new RunNotices(settings, Clock.systemUTC()).run(store, job.jobId(), RunHooks.none(),
        hooks -> new JobRunner(spark, store, runSettings).run(job.jobId(), hooks));
  }

  private static NoticeSettings notices(String... targets) {
    return new NoticeSettings(List.of(targets).stream().map(NoticeTarget::parse).toList(), false,
        SECRET, false, Duration.ofMinutes(1), CLIENTS);
  }

  private static HttpServer webhookServer() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/jobs", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      POSTED.complete(new String[] {body,
          exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER)});
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static String tempDir() {
    try {
      Path dir = Files.createTempDirectory("notify-store");
      dir.toFile().deleteOnExit();
      return dir.toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
