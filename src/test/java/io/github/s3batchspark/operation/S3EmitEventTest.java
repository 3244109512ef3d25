package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3EmitEventOperation;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * S3EmitEvent through the real runner, each message received back.
 *
 * <p>moto, because one moto_server serves S3, SQS, SNS (delivering to SQS subscribers) and
 * EventBridge (rules with SQS targets) on the same port; S3Mock serves S3 only.
 */
class S3EmitEventTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client s3 = moto.client();
  private final ExecutorClients clients = ExecutorClients.get(
      moto.clientSettings().withEventsEndpoint(moto.endpoint()));

  @Test
  void sqsQueueReceivesTheRecordsS3WouldSend() throws Exception {
    String bucket = Buckets.create(s3, "emit");
    String etag = Buckets.put(s3, bucket, "dir/a b.txt", "twelve bytes");
    String queue = queue();

    TaskResult r = runOne(emit(null, queueArn(queue), null, null), clients,
        new ObjectTask(1, bucket, "dir/a b.txt", null, null));

    assertTrue(r.succeeded(), r::toString);
    JsonNode record = JSON.readTree(receive(queue)).get("Records").get(0);
    assertEquals("ObjectCreated:Copy", record.get("eventName").asText());
    assertEquals("aws:s3", record.get("eventSource").asText());
    assertEquals(bucket, record.at("/s3/bucket/name").asText());
    assertEquals("dir%2Fa+b.txt", record.at("/s3/object/key").asText());
    assertEquals(12, record.at("/s3/object/size").asLong());
    assertEquals(etag.replace("\"", ""), record.at("/s3/object/eTag").asText());
  }

  @Test
  void snsTopicPublishesTheRecordsWithTheJobsEventName() throws Exception {
    String bucket = Buckets.create(s3, "emit");
    Buckets.put(s3, bucket, "doc", "x");
    String queue = queue();
    var sns = clients.sns();
    String topic = sns.createTopic(b -> b.name("t-" + UUID.randomUUID())).join().topicArn();
    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(queue))).join();

    TaskResult r = runOne(emit("ObjectRestore:Completed", null, topic, null), clients,
        new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    JsonNode envelope = JSON.readTree(receive(queue));
    assertEquals("Amazon S3 Notification", envelope.get("Subject").asText());
    JsonNode record = JSON.readTree(envelope.get("Message").asText()).get("Records").get(0);
    assertEquals("ObjectRestore:Completed", record.get("eventName").asText());
    assertEquals("doc", record.at("/s3/object/key").asText());
  }

  @Test
  void eventBridgeBusRoutesTheEventToItsRuleTargets() throws Exception {
    String bucket = Buckets.create(s3, "emit");
    Buckets.put(s3, bucket, "doc", "x");
    String queue = queue();
    var events = clients.eventBridge();
    String bus = "bus-" + UUID.randomUUID();
    String busArn = events.createEventBus(b -> b.name(bus)).join().eventBusArn();
    events.putRule(b -> b.name("r").eventBusName(bus)
        .eventPattern("{\"source\":[\"" + S3EmitEvent.EVENTBRIDGE_SOURCE + "\"]}")).join();
    events.putTargets(b -> b.rule("r").eventBusName(bus).targets(
        t -> t.id("q").arn(queueArn(queue)))).join();

    TaskResult r = runOne(emit(null, null, null, busArn), clients,
        new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    JsonNode event = JSON.readTree(receive(queue));
    assertEquals("doc", event.at("/detail/Records/0/s3/object/key").asText());
  }

  @Test
  void changedObjectIsRefusedByEtagGuardAndNothingIsPublished() {
    String bucket = Buckets.create(s3, "emit");
    String oldEtag = Buckets.put(s3, bucket, "doc", "first");
    Buckets.put(s3, bucket, "doc", "second");
    String queue = queue();

    TaskResult r = runOne(emit(null, queueArn(queue), null, null), clients,
        new ObjectTask(1, bucket, "doc", null, oldEtag));

    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertTrue(clients.sqs().receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).join()
        .messages().isEmpty());
  }

  @Test
  void missingQueueIsAFailedTaskWithTheServicesCode() {
    String bucket = Buckets.create(s3, "emit");
    Buckets.put(s3, bucket, "doc", "x");

    TaskResult r = runOne(emit(null, "arn:aws:sqs:us-east-1:123456789012:no-such-queue", null,
        null), clients, new ObjectTask(1, bucket, "doc", null, null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertTrue(r.errorCode().contains("NonExistentQueue"), r::toString);
    assertEquals(400, r.httpStatusCode());
  }

  private static S3EmitEvent emit(String eventName, String queue, String topic, String bus) {
    return new S3EmitEvent(new S3EmitEventOperation(eventName, queue, topic, bus));
  }

  /** A new queue's URL. */
  private String queue() {
    return clients.sqs().createQueue(b -> b.queueName("q-" + UUID.randomUUID())).join()
        .queueUrl();
  }

  private String queueArn(String url) {
    return clients.sqs().getQueueAttributes(b -> b.queueUrl(url)
        .attributeNames(List.of(QueueAttributeName.QUEUE_ARN))).join()
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  private String receive(String url) {
    var messages = clients.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5))
        .join().messages();
    assertEquals(1, messages.size(), messages::toString);
    return messages.get(0).body();
  }
}
