package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The timestamp forms the AWS CLI takes for s3control timestamp members. */
final class Timestamps {
  private Timestamps() {}

  /** The instant that {@code value} names, or null when it is no timestamp. */
  static Instant parse(JsonNode value) {
    if (value.isNumber()) {
      return fromEpochSeconds(value.decimalValue());
    }
    if (!value.isTextual()) {
      return null;
    }
    String text = value.asText().trim();
    try {
      return fromEpochSeconds(new BigDecimal(text));
    } catch (NumberFormatException notANumber) {
      return fromIso(text.replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) (\\d)", "$1T$2"));
    }
  }

  private static Instant fromEpochSeconds(BigDecimal seconds) {
    try {
      long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
      int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
      return Instant.ofEpochSecond(whole, nanos);
    } catch (ArithmeticException | DateTimeException outOfRange) {
      return null;
    }
  }

  /** With an offset or Z; without one, UTC (as botocore reads a naive time). */
  private static Instant fromIso(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      // try the forms without an offset below
    }
    try {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notLocal) {
      // try a bare date below
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notADate) {
      return null;
    }
  }
}
