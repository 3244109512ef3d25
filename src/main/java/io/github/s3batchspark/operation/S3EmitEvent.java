package io.github.s3batchspark.operation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.job.spec.S3EmitEventOperation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Publishes, for each object, the event notification S3 itself would send (S3EmitEvent, an
 * extension), so that pipelines driven by S3 events can be re-run over objects that already
 * exist: a {@code Records[]} message (event version 2.1) with the object's key, size, ETag and
 * version, named {@code ObjectCreated:Copy} unless the job names another event.
 *
 * <p>To an SQS queue the message is the body, to an SNS topic the message (subject "Amazon S3
 * Notification", as S3 sends it), to an EventBridge bus the detail of an event from source
 * {@code s3-batch-spark} (the {@code aws.} sources are reserved to AWS). The object's size and
 * ETag come from a HEAD, which is also the ETag guard; a missing object fails its task.
 */
public final class S3EmitEvent implements ObjectOperation {
  private static final String FIELD = "Operation.S3EmitEvent";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ARN = Pattern.compile("arn:[^:]+:(sqs|sns|events):([^:]*):([^:]*):(.+)");
  static final String EVENTBRIDGE_SOURCE = "s3-batch-spark";

  private final String eventName;
  private final String destination;
  private final String service;

  public S3EmitEvent(S3EmitEventOperation spec) {
    Objects.requireNonNull(spec, "S3EmitEvent");
    this.eventName = spec.eventName() == null ? "ObjectCreated:Copy" : spec.eventName();
    long given = Stream.of(spec.queueArn(), spec.topicArn(), spec.eventBusArn())
        .filter(Objects::nonNull).count();
    if (given != 1) {
      throw new IllegalArgumentException(FIELD + ": give exactly one of QueueArn, TopicArn and "
          + "EventBusArn, got " + given);
    }
    this.destination = spec.queueArn() != null ? spec.queueArn()
        : spec.topicArn() != null ? spec.topicArn() : spec.eventBusArn();
    Matcher m = ARN.matcher(destination);
    if (!m.matches()) {
      throw new IllegalArgumentException(FIELD + ": " + destination + " is not an SQS queue, "
          + "SNS topic or EventBridge bus ARN");
    }
    this.service = m.group(1);
    SpecField.oneOf(FIELD + ".EventName", eventName.substring(0, eventName.indexOf(':') + 1),
        Set.of("ObjectCreated:", "ObjectRemoved:", "ObjectRestore:", "ObjectTagging:",
            "ObjectAcl:", "LifecycleTransition:", "LifecycleExpiration:", "Replication:",
            "IntelligentTiering:", "ReducedRedundancyLostObject:"));
  }

  /** The HEAD that fills the event's size and ETag, and the one destination's send. */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    PolicyStatement send = switch (service) {
      case "sqs" -> PolicyStatement.allow("SendEventsToTheQueue", List.of(destination),
          "sqs:GetQueueUrl", "sqs:SendMessage");
      case "sns" -> PolicyStatement.allow("PublishEventsToTheTopic", List.of(destination),
          "sns:Publish");
      default -> PolicyStatement.allow("PutEventsOnTheBus", List.of(destination),
          "events:PutEvents");
    };
    return List.of(objects.onObjects("ReadObjectsForTheirEvents", "s3:GetObject",
        "s3:GetObjectVersion"), send);
  }

  @Override
  public String name() {
    return "S3EmitEvent";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    return clients.s3().headObject(HeadObjectRequest.builder().bucket(task.bucket())
            .key(task.key()).versionId(task.versionId()).ifMatch(task.quotedEtag()).build())
        .thenCompose(head -> publish(message(task, head, clients), clients))
        .thenApply(id -> OperationResult.ok("Published " + eventName + " to " + destination
            + " as message " + id));
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would publish " + eventName + " for " + Describe.object(task) + " to "
        + destination;
  }

  /** Completes with the id the destination gave the message. */
  private CompletableFuture<String> publish(String message, ExecutorClients clients) {
    return switch (service) {
      case "sqs" -> queueUrl(clients).thenCompose(url -> clients.sqs()
          .sendMessage(b -> b.queueUrl(url).messageBody(message)))
          .thenApply(r -> r.messageId());
      case "sns" -> clients.sns().publish(b -> b.topicArn(destination).message(message)
          .subject("Amazon S3 Notification")).thenApply(r -> r.messageId());
      default -> clients.eventBridge().putEvents(b -> b.entries(PutEventsRequestEntry.builder()
              .eventBusName(destination).source(EVENTBRIDGE_SOURCE)
              .detailType("S3 Event Notification").detail(message).build()))
          .thenApply(S3EmitEvent::eventId);
    };
  }

  /** PutEvents answers 200 with per-entry failures: a refused entry is the task's failure. */
  private static String eventId(PutEventsResponse r) {
    var entry = r.entries().get(0);
    if (entry.errorCode() != null) {
      throw new io.github.s3batchspark.execution.TaskFailure(entry.errorCode(), 400,
          entry.errorMessage(), false);
    }
    return entry.eventId();
  }

  /** The queue's URL from its ARN (arn:aws:sqs:region:account:name), asked of SQS. */
  private CompletableFuture<String> queueUrl(ExecutorClients clients) {
    Matcher m = ARN.matcher(destination);
    m.matches();
    return clients.sqs().getQueueUrl(b -> b.queueName(m.group(4))
            .queueOwnerAWSAccountId(m.group(3)))
        .thenApply(r -> r.queueUrl());
  }

  private String message(ObjectTask task, HeadObjectResponse head, ExecutorClients clients) {
    ObjectNode record = JSON.createObjectNode();
    record.put("eventVersion", "2.1");
    record.put("eventSource", "aws:s3");
    record.put("awsRegion", regionOf(clients));
    record.put("eventTime", Instant.now().toString());
    record.put("eventName", eventName);
    record.putObject("userIdentity").put("principalId", "s3-batch-spark");
    record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
    record.putObject("responseElements").put("x-amz-request-id", "s3-batch-spark");
    ObjectNode s3 = record.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", "s3-batch-spark");
    s3.putObject("bucket").put("name", task.bucket()).put("arn", "arn:aws:s3:::"
        + task.bucket()).putObject("ownerIdentity").put("principalId", "s3-batch-spark");
    ObjectNode object = s3.putObject("object");
    // S3 form-encodes the key in event messages (a space is +)
    object.put("key", URLEncoder.encode(task.key(), StandardCharsets.UTF_8));
    object.put("size", head.contentLength());
    object.put("eTag", head.eTag() == null ? null : head.eTag().replace("\"", ""));
    String version = task.versionId() != null ? task.versionId() : head.versionId();
    if (version != null && !version.equals("null")) {
      object.put("versionId", version);
    }
    object.put("sequencer", String.format("%016X", head.lastModified().toEpochMilli()));
    ObjectNode message = JSON.createObjectNode();
    message.putArray("Records").add(record);
    return message.toString();
  }

  private static String regionOf(ExecutorClients clients) {
    return clients.s3().serviceClientConfiguration().region().id();
  }
}
