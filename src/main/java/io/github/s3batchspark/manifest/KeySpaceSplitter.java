package io.github.s3batchspark.manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a bucket's key space into {@link KeyRange}s on the driver, with a few listing requests
 * and without ever holding more than one page of keys.
 *
 * <p>Prefixes are opened level by level with the delimiter {@code /}: a prefix whose children fit
 * on one page becomes a piece for its direct objects plus its sub-prefixes, opened in turn, until
 * {@link ListingOptions#fanOutDepth} levels are open or there are
 * {@link ListingOptions#targetPieces} pieces (the rest are listed whole). A prefix with more
 * children than a page holds is flat: it is split by key ranges instead ({@link #flat}).
 */
final class KeySpaceSplitter {
  /** Characters a boundary may end with: keys are most often names, numbers and dates. */
  private static final String BOUNDARY_CHARACTERS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final BucketListing listing;
  private final ListingOptions options;

  KeySpaceSplitter(BucketListing listing, ListingOptions options) {
    this.listing = listing;
    this.options = options;
  }

  /** Pieces covering every key under {@code roots}, each key in exactly one of them. */
  List<KeyRange> split(List<String> roots) {
    List<KeyRange> pieces = new ArrayList<>();
    List<String> level = outermost(roots);
    for (int depth = 0; !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i++) {
        String prefix = level.get(i);
        int planned = pieces.size() + next.size() + level.size() - i;
        if (depth >= options.fanOutDepth() || planned >= options.targetPieces()) {
          pieces.add(KeyRange.whole(prefix));
          continue;
        }
        ListingPage children = listing.first(KeyRange.direct(prefix));
        if (children.next() != null) {
          pieces.addAll(flat(prefix));
          continue;
        }
        if (!children.objects().isEmpty()) {
          pieces.add(KeyRange.direct(prefix));
        }
        next.addAll(children.prefixes());
      }
      level = next;
    }
    return pieces;
  }

  /**
   * A flat prefix in key ranges. Its first page (listed here, then dropped) gives the first range,
   * up to its last key {@code L}; the keys after {@code L} are unknown, so they are cut where the
   * page's keys start to differ ({@code D}, their common start): at each character after
   * {@code L}'s at that position, then at each shorter position. Any boundaries are correct
   * (ranges neither overlap nor leave gaps); these are likely to share the work out.
   */
  List<KeyRange> flat(String prefix) {
    ListingPage first = listing.first(KeyRange.whole(prefix));
    if (first.next() == null || first.objects().isEmpty()) {
      return List.of(KeyRange.whole(prefix));
    }
    String firstKey = first.objects().get(0).key();
    String last = first.objects().get(first.objects().size() - 1).key();
    List<String> boundaries = new ArrayList<>();
    boundaries.add(last);
    int differ = commonLength(firstKey, last);
    for (int at = Math.min(differ, last.length() - 1); at >= prefix.length()
        && boundaries.size() < options.targetPieces(); at--) {
      char after = last.charAt(at);
      if (Character.isLowSurrogate(after)) {
        continue; // a boundary must not split a character
      }
      for (char c : BOUNDARY_CHARACTERS.toCharArray()) {
        if (c > after && boundaries.size() < options.targetPieces()) {
          boundaries.add(last.substring(0, at) + c);
        }
      }
    }
    boundaries.sort(KeyOrder::compare);
    List<KeyRange> ranges = new ArrayList<>();
    String from = null;
    for (String upTo : boundaries) {
      ranges.add(new KeyRange(prefix, false, from, upTo));
      from = upTo;
    }
    ranges.add(new KeyRange(prefix, false, from, null));
    return ranges;
  }

  /** The roots without those another root contains ({@code a/b/} under {@code a/}). */
  private static List<String> outermost(List<String> roots) {
    List<String> sorted = new ArrayList<>(roots);
    sorted.sort(Comparator.comparingInt(String::length));
    List<String> kept = new ArrayList<>();
    for (String root : sorted) {
      if (kept.stream().noneMatch(root::startsWith)) {
        kept.add(root);
      }
    }
    return kept;
  }

  private static int commonLength(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }
}
