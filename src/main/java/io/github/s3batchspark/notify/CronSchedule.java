package io.github.s3batchspark.notify;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron schedule, in UTC: minute, hour, day of month, month, day of week (0 or 7 is
 * Sunday). Each field is {@code *}, a number, a range {@code a-b}, a step {@code * /n} or
 * {@code a-b/n}, or a list of those separated by commas. As in cron, when both day fields are
 * restricted a day matches either. Written here rather than taken from a library: five fields
 * are a page of code, a library would be a dependency shaded into every jar.
 *
 * @param text the schedule as given
 */
public record CronSchedule(String text, BitSet minutes, BitSet hours, BitSet days,
    BitSet months, BitSet weekdays, boolean anyDay, boolean anyWeekday) {

  /** Longest search for the next time: every schedule that can fire does within 4 years. */
  private static final long MAX_MINUTES = 4L * 366 * 24 * 60;

  /**
   * Reads a schedule.
   *
   * @throws IllegalArgumentException naming the field and the value that is wrong
   */
  public static CronSchedule parse(String text) {
    String[] f = text == null ? new String[0] : text.trim().split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("--trigger-cron \"" + text + "\": a schedule has five "
          + "fields, minute hour day-of-month month day-of-week, such as \"0 3 * * *\"");
    }
    BitSet weekdays = field(text, "day-of-week", f[4], 0, 7);
    if (weekdays.get(7)) {
      weekdays.set(0);
    }
    return new CronSchedule(text, field(text, "minute", f[0], 0, 59),
        field(text, "hour", f[1], 0, 23), field(text, "day-of-month", f[2], 1, 31),
        field(text, "month", f[3], 1, 12), weekdays, f[2].equals("*"), f[4].equals("*"));
  }

  /** The first minute strictly after {@code after} that the schedule names (UTC). */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.withZoneSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
        .plusMinutes(1);
    for (long i = 0; i < MAX_MINUTES; i++, t = t.plusMinutes(1)) {
      if (matches(t)) {
        return t;
      }
    }
    throw new IllegalArgumentException("--trigger-cron \"" + text + "\" never fires");
  }

  boolean matches(ZonedDateTime t) {
    boolean day = days.get(t.getDayOfMonth());
    boolean weekday = weekdays.get(t.getDayOfWeek().getValue() % 7);
    boolean dayMatches = anyDay || anyWeekday ? day && weekday : day || weekday;
    return minutes.get(t.getMinute()) && hours.get(t.getHour())
        && months.get(t.getMonthValue()) && dayMatches;
  }

  private static BitSet field(String text, String name, String value, int min, int max) {
    BitSet set = new BitSet(max + 1);
    for (String part : value.split(",", -1)) {
      try {
        addPart(set, part, min, max);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--trigger-cron \"" + text + "\": " + name + " '"
            + value + "' is not valid (" + e.getMessage() + "); use *, N, A-B, */N or A-B/N "
            + "between " + min + " and " + max);
      }
    }
    return set;
  }

  private static void addPart(BitSet set, String part, int min, int max) {
    String[] stepped = part.split("/", -1);
    if (stepped.length > 2) {
      throw new IllegalArgumentException("two steps in '" + part + "'");
    }
    int step = stepped.length == 2 ? number(stepped[1], 1, max) : 1;
    String range = stepped[0];
    int from;
    int to;
    if (range.equals("*")) {
      from = min;
      to = max;
    } else if (range.contains("-")) {
      String[] ends = range.split("-", -1);
      if (ends.length != 2) {
        throw new IllegalArgumentException("'" + range + "' is not a range");
      }
      from = number(ends[0], min, max);
      to = number(ends[1], min, max);
      if (from > to) {
        throw new IllegalArgumentException("range " + range + " runs backwards");
      }
    } else {
      from = number(range, min, max);
      to = stepped.length == 2 ? max : from;
    }
    for (int v = from; v <= to; v += step) {
      set.set(v);
    }
  }

  private static int number(String s, int min, int max) {
    try {
      int n = Integer.parseInt(s);
      if (n < min || n > max) {
        throw new IllegalArgumentException(n + " is out of range");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a number");
    }
  }
}
