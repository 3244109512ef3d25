package io.github.s3batchspark.manifest;

import java.io.Serializable;

/**
 * How a bucket is listed for a generated manifest.
 *
 * @param versions      which versions the manifest lists ({@link Versions})
 * @param pageSize      keys per listing request ({@code MaxKeys}, at most 1,000 on S3)
 * @param fanOutDepth   how many levels of {@code /} prefixes the driver opens to split the key
 *                      space (each level costs one request per prefix, on the driver)
 * @param targetPieces  the driver stops opening prefixes once it has this many pieces
 * @param headsInFlight HEAD (and GetObjectTagging) requests each partition keeps in flight for
 *                      the filters that a listing cannot answer
 * @param rangesInFlight key ranges each partition lists at once, each with one page request in
 *                      flight (a partition's throughput is about rangesInFlight pages per
 *                      round trip)
 */
public record ListingOptions(Versions versions, int pageSize, int fanOutDepth, int targetPieces,
    int headsInFlight, int rangesInFlight) implements Serializable {

  /** Which versions of each key a generated manifest lists. */
  public enum Versions {
    /**
     * The current version of every key, addressed without a version id (ListObjectsV2), as
     * Amazon's generated manifests for a job's operation are: the operation acts on the object
     * as it is when the task runs. Deleted keys (a delete marker on top) are not listed.
     */
    CURRENT,
    /**
     * Every version, each with its version id (ListObjectVersions), delete markers skipped: for
     * an operation that must see each version (replicating a bucket's history).
     */
    ALL
  }

  public ListingOptions {
    if (versions == null) {
      throw new IllegalArgumentException("versions must be CURRENT or ALL");
    }
    if (pageSize < 1 || pageSize > 1000) {
      throw new IllegalArgumentException("pageSize must be 1..1000 (S3's MaxKeys), not "
          + pageSize);
    }
    if (fanOutDepth < 0 || targetPieces < 1 || headsInFlight < 1 || rangesInFlight < 1) {
      throw new IllegalArgumentException("fanOutDepth must be >= 0, targetPieces, headsInFlight"
          + " and rangesInFlight >= 1");
    }
  }

  /**
   * Current versions, full pages, four levels of prefixes, and pieces enough for
   * {@code parallelism} cores to keep {@value #RANGES_IN_FLIGHT} ranges each in flight twice
   * over, so that uneven pieces even out.
   */
  public static ListingOptions defaults(int parallelism) {
    return new ListingOptions(Versions.CURRENT, 1000, 4,
        Math.max(256, parallelism * RANGES_IN_FLIGHT * 2), 64, RANGES_IN_FLIGHT);
  }

  /** A listing request's round trip dwarfs its parsing: many ranges in flight hide it. */
  private static final int RANGES_IN_FLIGHT = 64;

  public ListingOptions withVersions(Versions versions) {
    return new ListingOptions(versions, pageSize, fanOutDepth, targetPieces, headsInFlight,
        rangesInFlight);
  }

  public ListingOptions withPageSize(int pageSize) {
    return new ListingOptions(versions, pageSize, fanOutDepth, targetPieces, headsInFlight,
        rangesInFlight);
  }

  public ListingOptions withRangesInFlight(int rangesInFlight) {
    return new ListingOptions(versions, pageSize, fanOutDepth, targetPieces, headsInFlight,
        rangesInFlight);
  }

  public ListingOptions withTargetPieces(int targetPieces) {
    return new ListingOptions(versions, pageSize, fanOutDepth, targetPieces, headsInFlight,
        rangesInFlight);
  }
}
