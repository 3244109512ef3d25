package io.github.s3batchspark.notify;

import io.github.s3batchspark.execution.ExecutorClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link JobNotice} to every target of the settings, each in its own service's way,
 * with a few attempts; a target that cannot be reached is logged and skipped, so that a notice
 * never changes a job's outcome.
 */
public final class NoticeSender {
  private static final Logger LOG = LoggerFactory.getLogger(NoticeSender.class);
  static final int ATTEMPTS = 3;
  private static final Duration BACKOFF = Duration.ofMillis(500);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final NoticeSettings settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public NoticeSender(NoticeSettings settings) {
    this.settings = settings;
  }

  /** Sends the notice everywhere; answers the targets it could not reach. */
  public List<NoticeTarget> send(JobNotice notice) {
    List<NoticeTarget> missed = new ArrayList<>();
    for (NoticeTarget target : settings.targets()) {
      if (!sendWithRetries(target, notice)) {
        missed.add(target);
      }
    }
    return missed;
  }

  private boolean sendWithRetries(NoticeTarget target, JobNotice notice) {
    for (int attempt = 1; ; attempt++) {
      try {
        sendOnce(target, notice);
        return true;
      } catch (RuntimeException | IOException e) {
        if (attempt == ATTEMPTS) {
          LOG.warn("Job {}: the notice that it is {} did not reach {} after {} attempts: {}",
              notice.job().jobId(), notice.job().status().awsName(), target, ATTEMPTS,
              e.getMessage());
          return false;
        }
        if (!pause(BACKOFF.multipliedBy(attempt))) {
          return false;
        }
      }
    }
  }

  private void sendOnce(NoticeTarget target, JobNotice notice) throws IOException {
    ExecutorClients clients = ExecutorClients.get(settings.clients());
    String body = notice.body();
    switch (target.kind()) {
      case SNS -> clients.sns().publish(b -> b.topicArn(target.address())
          .subject(notice.subject()).message(body)).join();
      case SQS -> clients.sqs().sendMessage(b -> b.queueUrl(target.address())
          .messageBody(body)).join();
      case EVENTS -> putEvent(clients, target, notice);
      case SES -> clients.ses().sendEmail(b -> b.source(target.address())
          .destination(d -> d.toAddresses(target.to()))
          .message(m -> m.subject(c -> c.data(notice.subject()).charset("UTF-8"))
              .body(t -> t.text(c -> c.data(notice.text() + "\n\n" + body)
                  .charset("UTF-8"))))).join();
      case WEBHOOK -> post(target, body);
    }
  }

  private static void putEvent(ExecutorClients clients, NoticeTarget target, JobNotice notice) {
    var response = clients.eventBridge().putEvents(b -> b.entries(e -> e
        .eventBusName(target.address()).source(JobNotice.SOURCE)
        .detailType(JobNotice.DETAIL_TYPE).resources(notice.job().jobArn())
        .time(notice.time()).detail(notice.body()))).join();
    if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
      var entry = response.entries().get(0);
      throw new IllegalStateException("PutEvents refused the event: " + entry.errorCode() + " "
          + entry.errorMessage());
    }
  }

  private void post(NoticeTarget target, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(target.address()))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header(WebhookSignature.HEADER, WebhookSignature.of(settings.webhookSecret(), bytes))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IOException("the webhook answered HTTP " + response.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while posting to the webhook", e);
    }
  }

  private static boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
