package io.github.s3batchspark.manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Splits a bucket's key space into {@link KeyRange}s on the driver, with a few rounds of listing
 * requests (each round's requests all in flight at once) and without ever holding more than a
 * round's pages of keys.
 *
 * <p>Prefixes are opened level by level with the delimiter {@code /}, a whole level at once: a
 * prefix whose children fit on one page becomes a piece for its direct objects plus its
 * sub-prefixes, opened in the next round, until {@link ListingOptions#fanOutDepth} levels are open
 * or there are {@link ListingOptions#targetPieces} pieces. A prefix with more children than a page
 * holds is flat, and so is each prefix of the last level while pieces are wanted: those are cut
 * into {@code StartAfter} ranges by sampling ({@link KeySampler}). The rest are listed whole.
 */
final class KeySpaceSplitter {
  /** Listing requests the driver keeps in flight while it splits. */
  private static final int IN_FLIGHT = 256;

  private final BucketListing listing;
  private final ListingOptions options;

  KeySpaceSplitter(BucketListing listing, ListingOptions options) {
    this.listing = listing;
    this.options = options;
  }

  /**
   * {@code pieces} as an RDD of partitions that each list many of them at once
   * ({@link ListingOptions#rangesInFlight}): as many partitions as cores at least, more when there
   * are more pieces than the cores' ranges in flight, pieces dealt round-robin so that a flat
   * prefix's adjacent ranges are spread over every partition.
   */
  static JavaRDD<KeyRange> partitioned(JavaSparkContext spark, List<KeyRange> pieces,
      ListingOptions options) {
    int cores = spark.defaultParallelism();
    int partitions = Math.max(1, Math.min(pieces.size(), Math.max(cores,
        (pieces.size() + options.rangesInFlight() - 1) / options.rangesInFlight())));
    List<KeyRange> dealt = new ArrayList<>(pieces.size());
    for (int p = 0; p < partitions; p++) {
      for (int i = p; i < pieces.size(); i += partitions) {
        dealt.add(pieces.get(i));
      }
    }
    return spark.parallelize(dealt, partitions);
  }

  /** Pieces covering every key under {@code roots}, each key in exactly one of them. */
  List<KeyRange> split(List<String> roots) {
    List<KeyRange> pieces = new ArrayList<>();
    List<String> flat = new ArrayList<>();
    List<String> level = outermost(roots);
    for (int depth = 0; !level.isEmpty(); depth++) {
      if (depth >= options.fanOutDepth()
          || pieces.size() + flat.size() + level.size() >= options.targetPieces()) {
        if (pieces.size() + flat.size() + level.size() < options.targetPieces()) {
          flat.addAll(level); // room for more pieces: sample them too
        } else {
          level.forEach(prefix -> pieces.add(KeyRange.whole(prefix)));
        }
        break;
      }
      List<ListingPage> children = listing.firstPages(level.stream().map(KeyRange::direct)
          .toList(), IN_FLIGHT);
      List<String> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i++) {
        ListingPage page = children.get(i);
        if (page.next() != null) {
          flat.add(level.get(i));
          continue;
        }
        if (!page.objects().isEmpty()) {
          pieces.add(KeyRange.direct(level.get(i)));
        }
        next.addAll(page.prefixes());
      }
      level = next;
    }
    if (!flat.isEmpty()) {
      int room = Math.max(options.targetPieces() - pieces.size(), options.targetPieces() / 2);
      pieces.addAll(new KeySampler(listing, IN_FLIGHT).ranges(flat, room));
    }
    return pieces;
  }

  /**
   * A flat prefix in adjacent key ranges: its first page is the first range, the rest is cut by
   * sampling ({@link KeySampler}).
   */
  List<KeyRange> flat(String prefix) {
    return new KeySampler(listing, IN_FLIGHT).ranges(List.of(prefix), options.targetPieces());
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
}
