package io.github.s3batchspark.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.execution.ExecutorClients;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS queues on moto that the notice tests read back from: a notice sent to SQS lands in one
 * directly, and SNS and EventBridge deliver to one subscribed or targeted, so that every kind of
 * target is checked by what arrived.
 */
final class MotoQueues {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ExecutorClients aws;

  MotoQueues(ExecutorClients aws) {
    this.aws = aws;
  }

  /** A new queue; returns its URL. */
  String create() {
    return aws.sqs().createQueue(b -> b.queueName("q-" + UUID.randomUUID())).join().queueUrl();
  }

  String arn(String queueUrl) {
    return aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
        .attributeNames(QueueAttributeName.QUEUE_ARN)).join().attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  /** A new SNS topic with a new queue subscribed to it: {topic ARN, queue URL}. */
  String[] topicIntoQueue() {
    String queue = create();
    String topic = aws.sns().createTopic(b -> b.name("t-" + UUID.randomUUID())).join()
        .topicArn();
    aws.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn(queue))).join();
    return new String[] {topic, queue};
  }

  /**
   * A new EventBridge bus whose one rule, matching {@code pattern}, targets a new queue:
   * {bus name, queue URL}.
   */
  String[] busIntoQueue(String pattern) {
    String queue = create();
    String bus = "bus-" + UUID.randomUUID();
    aws.eventBridge().createEventBus(b -> b.name(bus)).join();
    aws.eventBridge().putRule(b -> b.name("status").eventBusName(bus).eventPattern(pattern))
        .join();
    aws.eventBridge().putTargets(b -> b.rule("status").eventBusName(bus)
        .targets(t -> t.id("q").arn(arn(queue)))).join();
    return new String[] {bus, queue};
  }

  /** The first message on the queue within {@code seconds}. */
  String receiveOne(String queueUrl, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      var messages = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)
          .maxNumberOfMessages(1)).join().messages();
      if (!messages.isEmpty()) {
        return messages.get(0).body();
      }
    }
    throw new AssertionError("no message on " + queueUrl + " within " + seconds + " s");
  }

  /** The queue's messages, read until {@code count} arrived or 20 s passed. */
  List<JsonNode> receive(String queueUrl, int count) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (all.size() < count && System.nanoTime() < deadline) {
      for (var m : aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)
          .maxNumberOfMessages(10)).join().messages()) {
        all.add(JSON.readTree(m.body()));
      }
    }
    return all;
  }

  /**
   * The queue's messages, in the order sent, read until {@code atMost} arrived or a receive came
   * back empty: for notices all sent before the test reads, an empty receive means no more.
   */
  List<JsonNode> receiveUntilQuiet(String queueUrl, int atMost) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    while (all.size() < atMost) {
      var messages = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)
          .maxNumberOfMessages(10)).join().messages();
      if (messages.isEmpty()) {
        break;
      }
      for (var m : messages) {
        all.add(JSON.readTree(m.body()));
      }
    }
    return all;
  }
}
