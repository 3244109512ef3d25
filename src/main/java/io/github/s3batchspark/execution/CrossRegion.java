package io.github.s3batchspark.execution;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.DelegatingS3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.services.s3.internal.crossregion.utils.CrossRegionUtils;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Request;

/**
 * An S3 client that reaches a bucket of another region as the SDK's cross-region client does
 * ({@code crossRegionAccessEnabled(true)}): S3's redirect (301, with the bucket's region in
 * {@code x-amz-bucket-region}, or else learnt from a HeadBucket) is followed once, the region
 * remembered, and every later request to that bucket signed for it and sent to its endpoint.
 *
 * <p>What differs is the cost of a request to a bucket of the client's own region, which is
 * nearly every request of a job. The SDK's wrapper rebuilds each request (to add its name to
 * the user agent) and reads its client's configuration, which the SDK builds anew on each
 * call; here such a request goes to the client untouched. In a profile of the tagging
 * benchmark the SDK's wrapper, with the proxy that gave it a configuration built once, was
 * 4 % of the job's CPU, besides the request copies it made inside the SDK's own path.
 *
 * <p>The redirect's details (which answers are redirects, where the region is read, how a
 * request is pointed at another region's endpoint) are the SDK's own, from its internal
 * {@code CrossRegionUtils}, whose version the build pins; {@code CrossRegionBucketTest} proves
 * the behaviour on every build.
 */
final class CrossRegion extends DelegatingS3AsyncClient {
  private final S3AsyncClient client;
  private final S3EndpointProvider endpoints;
  /** The buckets found in another region than the client's, and their regions. */
  private final Map<String, Region> elsewhere = new ConcurrentHashMap<>();

  private CrossRegion(S3AsyncClient client) {
    super(client);
    this.client = client;
    this.endpoints = client.serviceClientConfiguration().endpointProvider()
        .map(S3EndpointProvider.class::cast)
        .orElseGet(S3EndpointProvider::defaultProvider);
  }

  static S3AsyncClient of(S3AsyncClient client) {
    return new CrossRegion(client);
  }

  @Override
  protected <T extends S3Request, R> CompletableFuture<R> invokeOperation(T request,
      Function<T, CompletableFuture<R>> operation) {
    Optional<String> named = request.getValueForField("Bucket", String.class);
    if (named.isEmpty()) {
      return operation.apply(request);
    }
    String bucket = named.get();
    Region known = elsewhere.get(bucket);
    CompletableFuture<R> sent = operation.apply(known == null ? request : inRegion(request, known));
    return sent.exceptionallyCompose(failure -> CrossRegionUtils.isS3RedirectException(failure)
        ? redirected(bucket, request, operation, failure)
        : CompletableFuture.failedFuture(failure));
  }

  /** Sends the request again to the bucket's region, once that region is known. */
  private <T extends S3Request, R> CompletableFuture<R> redirected(String bucket, T request,
      Function<T, CompletableFuture<R>> operation, Throwable redirect) {
    elsewhere.remove(bucket); // the bucket moved, or was never where we thought
    return regionOf(bucket, redirect).thenCompose(region -> {
      elsewhere.put(bucket, region);
      return operation.apply(inRegion(request, region));
    });
  }

  /**
   * The region a redirect names, else the one S3 names in its answer to a HeadBucket sent to
   * the client's region; fails with the redirect when neither says.
   */
  private CompletableFuture<Region> regionOf(String bucket, Throwable redirect) {
    Optional<String> named = CrossRegionUtils.getBucketRegionFromException(s3Exception(redirect));
    if (named.isPresent()) {
      return CompletableFuture.completedFuture(Region.of(named.get()));
    }
    return client.headBucket(b -> b.bucket(bucket)).handle((ok, failure) -> {
      Optional<String> region = failure != null && CrossRegionUtils.isS3RedirectException(failure)
          ? CrossRegionUtils.getBucketRegionFromException(s3Exception(failure)) : Optional.empty();
      if (region.isEmpty()) {
        throw redirect instanceof CompletionException c ? c : new CompletionException(redirect);
      }
      return Region.of(region.get());
    });
  }

  private <T extends S3Request> T inRegion(T request, Region region) {
    return CrossRegionUtils.requestWithDecoratedEndpointProvider(request, () -> region, endpoints);
  }

  /** The S3 answer inside a future's failure (a redirect is always one). */
  private static S3Exception s3Exception(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return (S3Exception) t;
  }
}
