package io.github.s3batchspark.notify;

import java.net.URI;
import java.util.Locale;

/**
 * Where a job's notices go, as given to {@code --notify}: {@code sns:TOPIC_ARN},
 * {@code sqs:QUEUE_URL}, {@code events:BUS_NAME}, {@code ses:FROM:TO} or {@code webhook:URL}.
 *
 * @param kind    the service that carries the notice
 * @param address the topic ARN, queue URL, bus name, sender address or webhook URL
 * @param to      the recipient of an email (SES only), else null
 */
public record NoticeTarget(Kind kind, String address, String to) {

  /** The services a notice can be sent through. */
  public enum Kind { SNS, SQS, EVENTS, SES, WEBHOOK }

  /**
   * Reads one {@code --notify} value.
   *
   * @throws IllegalArgumentException naming the value and the forms accepted
   */
  public static NoticeTarget parse(String value) {
    int colon = value == null ? -1 : value.indexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw refused(value, "it is not KIND:ADDRESS");
    }
    String kind = value.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = value.substring(colon + 1);
    return switch (kind) {
      case "sns" -> new NoticeTarget(Kind.SNS, checked(value, rest, rest.startsWith("arn:"),
          "an SNS topic ARN"), null);
      case "sqs" -> new NoticeTarget(Kind.SQS, checked(value, rest, isHttpUrl(rest),
          "an SQS queue URL"), null);
      case "events" -> new NoticeTarget(Kind.EVENTS, rest, null);
      case "ses" -> ses(value, rest);
      case "webhook" -> new NoticeTarget(Kind.WEBHOOK, checked(value, rest, isHttpUrl(rest),
          "an http(s) URL"), null);
      default -> throw refused(value, "'" + kind + "' is no kind of notice");
    };
  }

  private static NoticeTarget ses(String value, String rest) {
    int colon = rest.indexOf(':');
    if (colon <= 0 || colon == rest.length() - 1 || !rest.substring(0, colon).contains("@")
        || !rest.substring(colon + 1).contains("@")) {
      throw refused(value, "an email notice is ses:FROM_ADDRESS:TO_ADDRESS");
    }
    return new NoticeTarget(Kind.SES, rest.substring(0, colon), rest.substring(colon + 1));
  }

  private static String checked(String value, String address, boolean ok, String what) {
    if (!ok) {
      throw refused(value, "the address must be " + what);
    }
    return address;
  }

  private static boolean isHttpUrl(String s) {
    try {
      String scheme = URI.create(s).getScheme();
      return scheme != null && (scheme.equals("http") || scheme.equals("https"))
          && URI.create(s).getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static IllegalArgumentException refused(String value, String why) {
    return new IllegalArgumentException("--notify " + value + ": " + why + "; give sns:TOPIC_ARN,"
        + " sqs:QUEUE_URL, events:BUS_NAME, ses:FROM:TO or webhook:URL");
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + ":" + address + (to == null ? "" : ":" + to);
  }
}
