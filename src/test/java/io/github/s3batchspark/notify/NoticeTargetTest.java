package io.github.s3batchspark.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoticeTargetTest {

  @Test
  void eachKindIsReadWithItsAddress() {
    assertEquals(new NoticeTarget(NoticeTarget.Kind.SNS, "arn:aws:sns:us-east-1:1:t", null),
        NoticeTarget.parse("sns:arn:aws:sns:us-east-1:1:t"));
    assertEquals(new NoticeTarget(NoticeTarget.Kind.SQS, "https://sqs.example/1/q", null),
        NoticeTarget.parse("sqs:https://sqs.example/1/q"));
    assertEquals(new NoticeTarget(NoticeTarget.Kind.EVENTS, "default", null),
        NoticeTarget.parse("events:default"));
    assertEquals(new NoticeTarget(NoticeTarget.Kind.SES, "a@x.org", "b@y.org"),
        NoticeTarget.parse("ses:a@x.org:b@y.org"));
    assertEquals(new NoticeTarget(NoticeTarget.Kind.WEBHOOK, "https://h.example/x", null),
        NoticeTarget.parse("webhook:https://h.example/x"));
  }

  @Test
  void malformedTargetIsRefusedNamingTheValueAndTheFormsAccepted() {
    for (String bad : List.of("sms:+123", "sqs:queue-name", "ses:a@x.org", "webhook:ftp://h/",
        "sns", "sns:topic")) {
      var e = assertThrows(IllegalArgumentException.class, () -> NoticeTarget.parse(bad));
      assertTrue(e.getMessage().startsWith("--notify " + bad + ": "), e.getMessage());
      assertTrue(e.getMessage().contains("webhook:URL"), e.getMessage());
    }
  }

  @Test
  void webhookWithoutSecretIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new NoticeSettings(
        List.of(NoticeTarget.parse("webhook:https://h.example/x")), false, null, false,
        Duration.ofMinutes(1), ClientSettings.defaults()));
    assertTrue(e.getMessage().contains("--webhook-secret-file"), e.getMessage());
  }
}
