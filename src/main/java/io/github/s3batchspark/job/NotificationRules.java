package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of our {@code Notifications} extension beyond its shape: each {@code Target} is one
 * of the forms {@code serve --notify} takes, except a webhook. A job's author may not make the
 * service post to a URL of their choosing (it would reach whatever the service's network
 * reaches, signed with the service's webhook secret), so webhooks are the operator's only.
 */
final class NotificationRules {
  static final String FORMS = "sns:TOPIC_ARN, sqs:QUEUE_URL, events:BUS_NAME or ses:FROM:TO";
  private static final Pattern TARGET = Pattern.compile(
      "^(sns:arn:\\S+|sqs:https?://[^/\\s]+/\\S*|events:\\S+|ses:[^:\\s]+@[^:\\s]+:[^:\\s]+@\\S+)$");

  private NotificationRules() {}

  static void check(JsonNode notifications, List<String> problems) {
    if (!notifications.isArray()) {
      return; // the shape check has said so
    }
    for (int i = 0; i < notifications.size(); i++) {
      JsonNode target = notifications.get(i).path("Target");
      if (!target.isTextual()) {
        continue;
      }
      String path = "Notifications[" + i + "].Target";
      String value = target.textValue();
      if (value.regionMatches(true, 0, "webhook:", 0, 8)) {
        problems.add(path + ": \"" + value + "\": a job may not name a webhook (the service"
            + " would post wherever the job says); give it to serve --notify, or use " + FORMS);
      } else if (!TARGET.matcher(value).matches()) {
        problems.add(path + ": \"" + value + "\" is not a target: give " + FORMS);
      }
    }
  }
}
