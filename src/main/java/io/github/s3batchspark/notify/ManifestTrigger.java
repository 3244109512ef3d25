package io.github.s3batchspark.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.job.JobSpecException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Creates a job from a template each time an S3 Inventory report's {@code manifest.json} is
 * created, as announced by S3 event notifications on an SQS queue (sent there directly, or
 * through an SNS topic). A message is deleted once its manifests have jobs, or when its job is
 * refused (a refusal would repeat); when the store cannot be written it stays, to be delivered
 * again. A message delivered again makes no second job: the job's ClientRequestToken comes from
 * the manifest's key and ETag ({@link JobTemplate#forManifest}).
 */
public final class ManifestTrigger {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestTrigger.class);

  private final ExecutorClients clients;
  private final String queueUrl;
  private final JobTemplate template;
  private final Function<JobSpec, JobRecord> create;
  private final int waitSeconds;

  /**
   * @param create      records a job (or returns the one its ClientRequestToken made)
   * @param waitSeconds how long one poll waits for a message (SQS long polling, 0 to 20)
   */
  public ManifestTrigger(NoticeSettings settings, String queueUrl, JobTemplate template,
      Function<JobSpec, JobRecord> create, int waitSeconds) {
    this.clients = ExecutorClients.get(settings.clients());
    this.queueUrl = queueUrl;
    this.template = template;
    this.create = create;
    this.waitSeconds = waitSeconds;
  }

  /** Reads the messages waiting (at most ten) and answers the jobs they made or found. */
  public List<JobRecord> poll() {
    List<JobRecord> jobs = new ArrayList<>();
    List<Message> messages = clients.sqs().receiveMessage(b -> b.queueUrl(queueUrl)
        .maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)).join().messages();
    for (Message message : messages) {
      try {
        for (NewManifest m : manifests(message.body())) {
          jobs.add(createFor(m));
        }
        delete(message);
      } catch (JobSpecException e) {
        LOG.error("Trigger {}: the template {} makes no job for message {}: {}; the message is "
            + "deleted", queueUrl, template.source(), message.messageId(), e.getMessage());
        delete(message);
      } catch (RuntimeException e) {
        LOG.warn("Trigger {}: cannot create the job of message {} now ({}); it will be "
            + "delivered again", queueUrl, message.messageId(), e.getMessage());
      }
    }
    return jobs;
  }

  private JobRecord createFor(NewManifest m) {
    JobRecord job = create.apply(template.forManifest(m.bucket(), m.key(), m.etag()));
    LOG.info("Trigger {}: job {} ({}) for manifest s3://{}/{} (ETag {})", queueUrl,
        job.jobId(), job.status().awsName(), m.bucket(), m.key(), m.etag());
    return job;
  }

  private void delete(Message message) {
    clients.sqs().deleteMessage(b -> b.queueUrl(queueUrl)
        .receiptHandle(message.receiptHandle())).join();
  }

  /** An inventory manifest that an S3 event says was created. */
  record NewManifest(String bucket, String key, String etag) {}

  /**
   * The manifest.json objects created according to one message: S3's own event records, or
   * the same wrapped in an SNS notification; anything else (S3's TestEvent) names none.
   */
  static List<NewManifest> manifests(String body) {
    JsonNode root;
    try {
      root = JobNotice.JSON.readTree(body);
    } catch (IOException e) {
      return List.of();
    }
    if (root.path("Type").asText().equals("Notification") && root.has("Message")) {
      return manifests(root.get("Message").asText());
    }
    List<NewManifest> found = new ArrayList<>();
    for (JsonNode r : root.path("Records")) {
      String key = URLDecoder.decode(r.at("/s3/object/key").asText(), StandardCharsets.UTF_8);
      if (r.path("eventName").asText().startsWith("ObjectCreated:")
          && (key.equals("manifest.json") || key.endsWith("/manifest.json"))) {
        found.add(new NewManifest(r.at("/s3/bucket/name").asText(), key,
            r.at("/s3/object/eTag").asText()));
      }
    }
    return found;
  }
}
