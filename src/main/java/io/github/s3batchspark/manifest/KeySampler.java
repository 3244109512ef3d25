package io.github.s3batchspark.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts flat prefixes (too many keys under one {@code /}) into {@code StartAfter} ranges by
 * sampling: in rounds, one page is listed at the start of every open interval, all of them at
 * once, and the page's keys say how dense the interval is. An interval whose page reaches its end
 * is small and stays one range; a larger one keeps its first page as a range and the rest is cut
 * at points spread by that density (a bisection on the key alphabet, many ways at a time). With
 * no end known (the prefix's last interval) the points grow geometrically, 2, 4, 8... pages'
 * worth of keys ahead, so that a prefix of any size is found in a few rounds.
 *
 * <p>Any points are correct (the ranges are adjacent, so every key is in exactly one); the
 * sampling only decides how even they are. Intervals found empty are merged into their
 * neighbour, so that they cost no partition a request.
 */
final class KeySampler {
  /** Sub-intervals one interval is cut into per round. */
  private static final int FAN = 16;
  /** Full pages a range aims at: a few, so that ranges finish close together. */
  private static final int PAGES_PER_RANGE = 4;
  /** Rounds at most: each is one round trip on the driver. */
  private static final int MAX_ROUNDS = 24;

  private final BucketListing listing;
  private final int inFlight;
  /** Keys a range aims at. */
  private final long keysPerRange;

  /** Keys per probe: enough to measure an interval's density. */
  private static final int PROBE_KEYS = 100;

  /** A sampler listing with {@code listing}, {@code inFlight} probes at a time at most. */
  KeySampler(BucketListing listing, int inFlight) {
    this.listing = listing.withPagesOfAtMost(PROBE_KEYS);
    this.keysPerRange = (long) PAGES_PER_RANGE * listing.pageSize();
    this.inFlight = inFlight;
  }

  /** Adjacent ranges covering every key under each of {@code prefixes}, at most about {@code budget}. */
  List<KeyRange> ranges(List<String> prefixes, int budget) {
    List<Interval> intervals = new ArrayList<>();
    for (String prefix : prefixes) {
      intervals.add(new Interval(prefix, null, null));
    }
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<Interval> open = intervals.stream().filter(i -> i.state == State.OPEN).toList();
      if (open.isEmpty()) {
        break;
      }
      List<ListingPage> probes = listing.firstPages(open.stream().map(Interval::range).toList(),
          inFlight);
      List<Interval> next = new ArrayList<>();
      int used = (int) intervals.stream().filter(i -> i.state != State.EMPTY).count();
      int o = 0;
      for (Interval interval : intervals) {
        if (interval.state != State.OPEN) {
          next.add(interval);
          continue;
        }
        List<Interval> cut = interval.cut(probes.get(o++), Math.max(0, budget - used),
            keysPerRange);
        used += cut.size() - 1;
        next.addAll(cut);
      }
      intervals = next;
    }
    return merged(intervals);
  }

  /** The intervals as ranges, each empty one folded into the range before it (or after it). */
  private static List<KeyRange> merged(List<Interval> intervals) {
    List<KeyRange> ranges = new ArrayList<>();
    String prefix = null;
    String after = null;
    for (int i = 0; i < intervals.size(); i++) {
      Interval interval = intervals.get(i);
      if (!interval.prefix.equals(prefix)) {
        prefix = interval.prefix;
        after = null;
      }
      boolean lastOfPrefix = i + 1 == intervals.size()
          || !intervals.get(i + 1).prefix.equals(prefix);
      if (interval.state == State.EMPTY && !lastOfPrefix) {
        continue; // the next range starts where the last kept one ended
      }
      if (interval.state == State.EMPTY && !ranges.isEmpty()
          && ranges.get(ranges.size() - 1).prefix().equals(prefix)) {
        KeyRange previous = ranges.remove(ranges.size() - 1);
        ranges.add(new KeyRange(prefix, false, previous.after(), interval.upTo));
      } else {
        ranges.add(new KeyRange(prefix, false, after, interval.upTo));
      }
      after = interval.upTo;
    }
    return ranges;
  }

  private enum State { OPEN, SMALL, EMPTY }

  /** Keys of {@code prefix} after {@code after} (null: its start), up to {@code upTo} (null: its end). */
  private static final class Interval {
    final String prefix;
    final String after;
    final String upTo;
    State state = State.OPEN;

    Interval(String prefix, String after, String upTo) {
      this.prefix = prefix;
      this.after = after;
      this.upTo = upTo;
    }

    Interval(String prefix, String after, String upTo, State state) {
      this(prefix, after, upTo);
      this.state = state;
    }

    KeyRange range() {
      return new KeyRange(prefix, false, after, upTo);
    }

    /** This interval after its first page: itself, settled, or its first page and the rest cut. */
    List<Interval> cut(ListingPage page, int room, long keysPerRange) {
      List<ListedObject> objects = page.objects();
      KeyRange range = range();
      int inRange = 0;
      while (inRange < objects.size() && !range.isPast(objects.get(inRange).key())) {
        inRange++;
      }
      if (inRange == 0) {
        return List.of(new Interval(prefix, after, upTo, State.EMPTY));
      }
      if (page.next() == null || inRange < objects.size() || room < 2) {
        return List.of(new Interval(prefix, after, upTo, State.SMALL));
      }
      String first = objects.get(0).key();
      String last = objects.get(inRange - 1).key();
      List<String> points = points(first, last, inRange, Math.min(FAN, room - 1), keysPerRange);
      List<Interval> cut = new ArrayList<>();
      cut.add(new Interval(prefix, after, last, State.SMALL));
      String from = last;
      for (String point : points) {
        cut.add(new Interval(prefix, from, point));
        from = point;
      }
      cut.add(new Interval(prefix, from, upTo));
      return cut;
    }

    /**
     * Up to {@code most} points after {@code last}, before {@code upTo}, spread by the density of
     * the page {@code first..last}: evenly when the end is known, geometrically when it is not.
     */
    private List<String> points(String first, String last, int keys, int most,
        long keysPerRange) {
      String base = upTo == null ? common(first, last) : common(last, upTo);
      double from = KeyScale.of(base, last);
      double width = from - KeyScale.of(base, first);
      if (width <= 0) {
        width = KeyScale.unit(base, last);
      }
      List<Double> at = new ArrayList<>();
      if (upTo == null) {
        for (int k = 1; k <= most && from + width * (1L << k) < 1; k++) {
          at.add(from + width * (1L << k));
        }
      } else {
        double to = KeyScale.of(base, upTo);
        long wanted = (long) Math.ceil((to - from) / width * keys / keysPerRange);
        int n = (int) Math.max(1, Math.min(most + 1, wanted));
        for (int k = 1; k < n; k++) {
          at.add(from + (to - from) * k / n);
        }
      }
      List<String> points = new ArrayList<>();
      String previous = last;
      for (double x : at) {
        String point = KeyScale.key(base, x);
        if (point.startsWith(prefix) && KeyOrder.compare(point, previous) > 0
            && (upTo == null || KeyOrder.compare(point, upTo) < 0)) {
          points.add(point);
          previous = point;
        }
      }
      return points;
    }

    private String common(String a, String b) {
      int n = Math.min(a.length(), b.length());
      int i = 0;
      while (i < n && a.charAt(i) == b.charAt(i)) {
        i++;
      }
      if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))) {
        i--; // never half a character
      }
      return a.substring(0, i);
    }
  }
}
