package io.github.s3batchspark.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZonedDateTime WEDNESDAY = ZonedDateTime.parse("2026-12-02T10:17:42Z");

  @Test
  void dailyScheduleFiresAtItsMinuteTodayOrTomorrow() {
    CronSchedule daily = CronSchedule.parse("0 3 * * *");
    assertEquals(ZonedDateTime.parse("2026-12-03T03:00Z"), daily.next(WEDNESDAY));
    assertEquals(ZonedDateTime.parse("2026-12-02T03:00Z"),
        daily.next(ZonedDateTime.parse("2026-12-02T02:59:59Z")));
    assertEquals(ZonedDateTime.parse("2026-12-03T03:00Z"),
        daily.next(ZonedDateTime.parse("2026-12-02T03:00Z")), "strictly after");
  }

  @Test
  void stepsRangesAndListsNameEveryMinuteTheyCover() {
    assertEquals(ZonedDateTime.parse("2026-12-02T10:30Z"),
        CronSchedule.parse("*/15 * * * *").next(WEDNESDAY));
    assertEquals(ZonedDateTime.parse("2026-12-02T12:05Z"),
        CronSchedule.parse("5 9-17/3 * * *").next(WEDNESDAY));
    assertEquals(ZonedDateTime.parse("2026-12-02T10:20Z"),
        CronSchedule.parse("1,20,40 * * * *").next(WEDNESDAY));
  }

  @Test
  void dayOfWeekCountsSundayAsZeroOrSeven() {
    assertEquals(ZonedDateTime.parse("2026-12-06T00:00Z"),
        CronSchedule.parse("0 0 * * 0").next(WEDNESDAY));
    assertEquals(ZonedDateTime.parse("2026-12-06T00:00Z"),
        CronSchedule.parse("0 0 * * 7").next(WEDNESDAY));
  }

  @Test
  void bothDayFieldsRestrictedMatchEitherDayAsCronDoes() {
    // the 1st of the month or a Friday: Friday 4 December comes first
    assertEquals(ZonedDateTime.parse("2026-12-04T00:00Z"),
        CronSchedule.parse("0 0 1 * 5").next(WEDNESDAY));
  }

  @Test
  void scheduleThatCanNeverFireIsRefused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.parse("0 0 31 2 *").next(WEDNESDAY));
    assertTrue(e.getMessage().contains("never fires"), e.getMessage());
  }

  @Test
  void badFieldIsRefusedNamingTheFieldAndItsValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 25 * * *"));
    assertTrue(e.getMessage().contains("hour '25'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 3 * *"));
    assertTrue(e.getMessage().contains("five fields"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("x 3 * * *"));
    assertTrue(e.getMessage().contains("minute 'x'"), e.getMessage());
  }
}
