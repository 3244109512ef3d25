package io.github.s3batchspark.manifest;

import io.github.s3batchspark.manifest.ListingOptions.Versions;
import io.github.s3batchspark.manifest.ListingPage.Continuation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The listing requests of one bucket: ListObjectsV2 for current versions, ListObjectVersions for
 * all of them, one page per call (waited for, or as a future so that many ranges are listed at
 * once), so that a caller holds only the pages it asked for.
 */
final class BucketListing {
  static final String DELIMITER = "/";

  private final S3AsyncClient s3;
  private final String bucket;
  private final String expectedOwner;
  private final Versions versions;
  private final int pageSize;
  private final boolean fetchOwner;

  BucketListing(S3AsyncClient s3, String bucket, String expectedOwner, Versions versions,
      int pageSize) {
    this(s3, bucket, expectedOwner, versions, pageSize, false);
  }

  /**
   * A listing that also asks ListObjectsV2 for each object's owner when {@code fetchOwner} (an
   * inventory's ObjectOwner); ListObjectVersions always gives it.
   */
  BucketListing(S3AsyncClient s3, String bucket, String expectedOwner, Versions versions,
      int pageSize, boolean fetchOwner) {
    this.s3 = s3;
    this.bucket = bucket;
    this.expectedOwner = expectedOwner;
    this.versions = versions;
    this.pageSize = pageSize;
    this.fetchOwner = fetchOwner;
  }

  /** Keys per page ({@code MaxKeys}). */
  int pageSize() {
    return pageSize;
  }

  /**
   * The same listing with pages of at most {@code most} keys: a sample of the key space costs
   * the server and the driver a fraction of a full page.
   */
  BucketListing withPagesOfAtMost(int most) {
    return most >= pageSize ? this
        : new BucketListing(s3, bucket, expectedOwner, versions, most, fetchOwner);
  }

  /** The first page of {@code range}'s listing (sub-prefixes rolled up when it is delimited). */
  ListingPage first(KeyRange range) {
    return joined(range, firstAsync(range));
  }

  /** The page after {@code previous}'s, of the same range. */
  ListingPage next(KeyRange range, ListingPage previous) {
    return joined(range, nextAsync(range, previous));
  }

  /**
   * {@link #first}, without waiting: the page, or a {@link ManifestException} naming the bucket
   * and the range when S3 refuses the request.
   */
  CompletableFuture<ListingPage> firstAsync(KeyRange range) {
    return page(range, new Continuation(null, range.after(), null));
  }

  /** {@link #next}, without waiting, failing as {@link #firstAsync} does. */
  CompletableFuture<ListingPage> nextAsync(KeyRange range, ListingPage previous) {
    return page(range, previous.next());
  }

  /**
   * The first pages of {@code ranges}, in their order, with up to {@code inFlight} requests in
   * flight at once: what the driver asks for a whole level of prefixes in one round trip.
   */
  List<ListingPage> firstPages(List<KeyRange> ranges, int inFlight) {
    List<ListingPage> pages = new ArrayList<>(ranges.size());
    for (int from = 0; from < ranges.size(); from += inFlight) {
      List<KeyRange> window = ranges.subList(from, Math.min(ranges.size(), from + inFlight));
      List<CompletableFuture<ListingPage>> asked = window.stream().map(this::firstAsync).toList();
      for (int i = 0; i < window.size(); i++) {
        pages.add(joined(window.get(i), asked.get(i)));
      }
    }
    return pages;
  }

  private ListingPage joined(KeyRange range, CompletableFuture<ListingPage> page) {
    try {
      return page.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof ManifestException m ? m : failure(range, e);
    }
  }

  private CompletableFuture<ListingPage> page(KeyRange range, Continuation at) {
    CompletableFuture<ListingPage> page = versions == Versions.CURRENT ? objects(range, at)
        : objectVersions(range, at);
    return page.exceptionallyCompose(e -> CompletableFuture.failedFuture(failure(range, e)));
  }

  private ManifestException failure(KeyRange range, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ManifestException m) {
      return m;
    }
    String why = cause instanceof S3Exception s3e && s3e.awsErrorDetails() != null
        ? s3e.statusCode() + " " + s3e.awsErrorDetails().errorCode() : cause.toString();
    return new ManifestException("ManifestGenerator.S3JobManifestGenerator.SourceBucket "
        + bucket + ": listing " + range + " failed (" + why + "); check that the bucket exists"
        + " and that the job's role may list it (s3:ListBucket"
        + (versions == Versions.ALL ? ", s3:ListBucketVersions" : "") + ")", cause);
  }

  private CompletableFuture<ListingPage> objects(KeyRange range, Continuation at) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(range.prefix())
        .delimiter(range.delimited() ? DELIMITER : null).maxKeys(pageSize)
        .startAfter(at.continuationToken() == null ? at.keyMarker() : null)
        .continuationToken(at.continuationToken()).fetchOwner(fetchOwner ? true : null)
        .expectedBucketOwner(expectedOwner)).thenApply(BucketListing::objectsPage);
  }

  private static ListingPage objectsPage(ListObjectsV2Response page) {
    List<ListedObject> objects = new ArrayList<>(page.contents().size());
    for (S3Object o : page.contents()) {
      objects.add(new ListedObject(o.key(), null, true, ListedObject.unquoted(o.eTag()),
          o.size() == null ? 0 : o.size(), o.lastModified(), storageClass(o.storageClassAsString()),
          checksumAlgorithm(o.checksumAlgorithmAsStrings()), o.owner() == null ? null
              : o.owner().id()));
    }
    Continuation next = Boolean.TRUE.equals(page.isTruncated())
        ? new Continuation(page.nextContinuationToken(), null, null) : null;
    return new ListingPage(objects, prefixes(page.commonPrefixes()), next);
  }

  private CompletableFuture<ListingPage> objectVersions(KeyRange range, Continuation at) {
    return s3.listObjectVersions(b -> b.bucket(bucket)
        .prefix(range.prefix()).delimiter(range.delimited() ? DELIMITER : null)
        .maxKeys(pageSize).keyMarker(at.keyMarker()).versionIdMarker(at.versionIdMarker())
        .expectedBucketOwner(expectedOwner)).thenApply(BucketListing::versionsPage);
  }

  private static ListingPage versionsPage(ListObjectVersionsResponse page) {
    List<ListedObject> objects = new ArrayList<>(page.versions().size());
    for (ObjectVersion v : page.versions()) {
      boolean latest = Boolean.TRUE.equals(v.isLatest());
      // the null version: addressed as the current object while it is one, else as "null"
      String versionId = v.versionId() == null || v.versionId().equals("null")
          ? (latest ? null : "null") : v.versionId();
      objects.add(new ListedObject(v.key(), versionId, latest, ListedObject.unquoted(v.eTag()),
          v.size() == null ? 0 : v.size(), v.lastModified(), storageClass(v.storageClassAsString()),
          checksumAlgorithm(v.checksumAlgorithmAsStrings()), v.owner() == null ? null
              : v.owner().id()));
    }
    Continuation next = Boolean.TRUE.equals(page.isTruncated())
        ? new Continuation(null, page.nextKeyMarker(), page.nextVersionIdMarker()) : null;
    return new ListingPage(objects, prefixes(page.commonPrefixes()), next);
  }

  private static List<String> prefixes(List<CommonPrefix> common) {
    return common.stream().map(CommonPrefix::prefix).toList();
  }

  /** S3 lists one algorithm per object (a list in the API); none when the object has none. */
  private static String checksumAlgorithm(List<String> listed) {
    return listed == null || listed.isEmpty() ? null : String.join(",", listed);
  }

  private static String storageClass(String listed) {
    return listed == null || listed.isEmpty() ? "STANDARD" : listed;
  }
}
