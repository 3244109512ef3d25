package io.github.s3batchspark.cli;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.notify.NoticeSettings;
import io.github.s3batchspark.notify.NotifyingJobStore;
import io.github.s3batchspark.notify.NoticeTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.kohsuke.args4j.Option;

/** The options of the verbs that run jobs ({@code run}, {@code serve}): who is told of them. */
abstract class NotifyingVerb extends JobVerb {

  @Option(name = "--notify", metaVar = "KIND:ADDRESS",
      usage = "tell of each job's end (Complete, Failed, Cancelled): sns:TOPIC_ARN, "
          + "sqs:QUEUE_URL, events:BUS_NAME, ses:FROM:TO or webhook:URL; repeat for several; "
          + "spark.s3batch.notify (separated by commas)")
  List<String> notify = new ArrayList<>();

  @Option(name = "--notify-on-start",
      usage = "also tell when a run starts; spark.s3batch.notifyOnStart")
  boolean notifyOnStart;

  @Option(name = "--notify-every-status",
      usage = "tell the --notify targets of every status change (New, Preparing, Ready, Active,"
          + " ..., Complete), not only the end; a job's own Notifications are told as it asks")
  boolean notifyEveryStatus;

  @Option(name = "--webhook-secret-file", metaVar = "FILE",
      usage = "the secret that signs webhook notices (HMAC-SHA256 in X-S3Batch-Signature-256); "
          + "default: S3BATCH_WEBHOOK_SECRET or spark.s3batch.webhookSecret")
  Path webhookSecretFile;

  @Option(name = "--cloudwatch-metrics",
      usage = "publish each job's CloudWatch metrics (namespace S3BatchSpark, dimension JobId) "
          + "every minute while it runs and at its end; spark.s3batch.cloudwatchMetrics")
  boolean cloudWatchMetrics;

  @Option(name = "--events-endpoint-url", metaVar = "URL",
      usage = "endpoint of SNS, SQS, EventBridge, SES, CloudWatch, DynamoDB and EMR Serverless, "
          + "for notices, metrics, triggers, S3EmitEvent and DynamoDB tables (default: each "
          + "service's own, AWS_ENDPOINT_URL_SNS, AWS_ENDPOINT_URL_DYNAMODB and so on, as the "
          + "SDK reads them, else AWS); spark.s3batch.eventsEndpointUrl")
  String eventsEndpointUrl;

  @Override
  ClientSettings withFlags(ClientSettings base) {
    ClientSettings settings = super.withFlags(base);
    return eventsEndpointUrl == null ? settings : settings.withEventsEndpoint(eventsEndpointUrl);
  }

  /** Refuses a bad {@code --notify} or a webhook without a secret before anything starts. */
  void checkNotices() {
    noticeSettings(new SparkConf(), ClientSettings.defaults());
  }

  /** The Spark conf's notice settings with this command line's added. */
  NoticeSettings noticeSettings(SparkConf conf, ClientSettings clients) {
    try {
      List<NoticeTarget> targets = notify.stream().map(NoticeTarget::parse).toList();
      return NoticeSettings.from(conf, clients)
          .withTargets(targets, notifyOnStart, webhookSecret())
          .withMetrics(cloudWatchMetrics || conf.getBoolean(NoticeSettings.METRICS, false),
              NoticeSettings.DEFAULT_METRICS_EVERY);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * The store that tells of the status changes written through it: to the jobs' own {@code
   * Notifications}, and to {@code notices}' targets when {@code --notify-every-status} is given.
   */
  NotifyingJobStore notifying(JobStore store, NoticeSettings notices) {
    Set<JobStatus> told = notifyEveryStatus ? EnumSet.allOf(JobStatus.class) : Set.of();
    return new NotifyingJobStore(store, notices, told, Clock.systemUTC());
  }

  /** What a run tells itself: its metrics only, when the store tells of every status. */
  NoticeSettings runNotices(NoticeSettings notices) {
    return notifyEveryStatus ? notices.withoutTargets() : notices;
  }

  private String webhookSecret() {
    if (webhookSecretFile == null) {
      return null;
    }
    try {
      String secret = Files.readString(webhookSecretFile, StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw new UsageException("--webhook-secret-file " + webhookSecretFile + " is empty: put"
            + " the shared secret in it");
      }
      return secret;
    } catch (IOException e) {
      throw new UsageException("--webhook-secret-file " + webhookSecretFile + " cannot be read: "
          + e.getMessage());
    }
  }
}
