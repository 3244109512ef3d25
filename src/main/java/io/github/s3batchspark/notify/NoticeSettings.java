package io.github.s3batchspark.notify;

import io.github.s3batchspark.execution.ClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * What is told about a run, to whom, and how the services are reached.
 *
 * @param targets        where notices go (empty: none is sent)
 * @param onStart        also send a notice when a run starts, not only when the job ends
 * @param webhookSecret  the key of the webhooks' HMAC-SHA256 signature; required when a
 *                       webhook is a target
 * @param metrics        publish the job's CloudWatch metrics while it runs and at its end
 * @param metricsEvery   how often metrics are published while the job runs
 * @param clients        region, credentials and the events endpoint (SNS, SQS, EventBridge, SES
 *                       and CloudWatch), signed as the caller, never as a job's role
 */
public record NoticeSettings(List<NoticeTarget> targets, boolean onStart, String webhookSecret,
    boolean metrics, Duration metricsEvery, ClientSettings clients) {

  public static final String NOTIFY = "spark.s3batch.notify";
  public static final String NOTIFY_ON_START = "spark.s3batch.notifyOnStart";
  public static final String WEBHOOK_SECRET = "spark.s3batch.webhookSecret";
  public static final String WEBHOOK_SECRET_VARIABLE = "S3BATCH_WEBHOOK_SECRET";
  public static final String METRICS = "spark.s3batch.cloudwatchMetrics";
  public static final Duration DEFAULT_METRICS_EVERY = Duration.ofMinutes(1);

  public NoticeSettings {
    targets = List.copyOf(targets);
    boolean webhook = targets.stream().anyMatch(t -> t.kind() == NoticeTarget.Kind.WEBHOOK);
    if (webhook && (webhookSecret == null || webhookSecret.isEmpty())) {
      throw new IllegalArgumentException("a webhook notice is signed: give --webhook-secret-file"
          + " FILE, " + WEBHOOK_SECRET_VARIABLE + " or " + WEBHOOK_SECRET);
    }
    clients = clients.withCallerCredentials();
  }

  /** No notice, no metric. */
  public static NoticeSettings none(ClientSettings clients) {
    return new NoticeSettings(List.of(), false, null, false, DEFAULT_METRICS_EVERY, clients);
  }

  /**
   * The settings of a {@code spark-submit}: {@value #NOTIFY} (targets separated by commas),
   * {@value #NOTIFY_ON_START}, {@value #WEBHOOK_SECRET} (else {@value #WEBHOOK_SECRET_VARIABLE})
   * and {@value #METRICS}.
   *
   * @throws IllegalArgumentException naming the value that is wrong
   */
  public static NoticeSettings from(SparkConf conf, ClientSettings clients) {
    List<NoticeTarget> targets = new ArrayList<>();
    for (String t : conf.get(NOTIFY, "").split(",")) {
      if (!t.isBlank()) {
        targets.add(NoticeTarget.parse(t.trim()));
      }
    }
    String secret = conf.get(WEBHOOK_SECRET, System.getenv(WEBHOOK_SECRET_VARIABLE));
    return new NoticeSettings(targets, conf.getBoolean(NOTIFY_ON_START, false), secret,
        conf.getBoolean(METRICS, false), DEFAULT_METRICS_EVERY, clients);
  }

  public NoticeSettings withTargets(List<NoticeTarget> more, boolean start, String secret) {
    List<NoticeTarget> all = new ArrayList<>(targets);
    all.addAll(more);
    return new NoticeSettings(all, onStart || start, secret != null ? secret : webhookSecret,
        metrics, metricsEvery, clients);
  }

  /** The same clients and metrics, telling no one (where another part does the telling). */
  public NoticeSettings withoutTargets() {
    return new NoticeSettings(List.of(), false, null, metrics, metricsEvery, clients);
  }

  public NoticeSettings withMetrics(boolean on, Duration every) {
    return new NoticeSettings(targets, onStart, webhookSecret, on, every, clients);
  }

  /** Whether a run needs watching at all. */
  public boolean any() {
    return !targets.isEmpty() || metrics;
  }
}
