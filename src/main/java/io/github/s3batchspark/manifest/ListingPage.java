package io.github.s3batchspark.manifest;

import java.util.List;

/**
 * One answer of ListObjectsV2 or ListObjectVersions.
 *
 * @param objects  the objects (versions, delete markers excepted) in S3's order
 * @param prefixes the common prefixes, when the request had a delimiter
 * @param next     where the next page starts, or null when this was the last one
 */
record ListingPage(List<ListedObject> objects, List<String> prefixes, Continuation next) {

  /** What the next request of the same listing carries. */
  record Continuation(String continuationToken, String keyMarker, String versionIdMarker) {}
}
