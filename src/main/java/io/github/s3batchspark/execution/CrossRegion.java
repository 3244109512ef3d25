package io.github.s3batchspark.execution;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.internal.crossregion.S3CrossRegionAsyncClient;

/**
 * The SDK's cross-region S3 client (what {@code crossRegionAccessEnabled(true)} builds: a bucket
 * of another region is found with one extra request, then remembered, and each request to it
 * asks our endpoint provider, {@link ResolvedOnce}, with that region), without its cost per
 * request.
 *
 * <p>For every request the SDK's wrapper reads its client's {@code serviceClientConfiguration()},
 * which the SDK builds anew on each call: 7 % of a tagging job's CPU in a profile of the
 * benchmark. The configuration of a built client never changes, so the wrapper here is given a
 * client that answers with the one it built first and passes every other call through. The
 * wrapper is an internal class of the SDK, whose version the build pins;
 * {@code CrossRegionBucketTest} proves the behaviour on every build.
 */
final class CrossRegion {
  private CrossRegion() {}

  static S3AsyncClient of(S3AsyncClient client) {
    S3ServiceClientConfiguration configuration = client.serviceClientConfiguration();
    S3AsyncClient configuredOnce = (S3AsyncClient) Proxy.newProxyInstance(
        S3AsyncClient.class.getClassLoader(), new Class<?>[] {S3AsyncClient.class},
        (proxy, method, args) -> {
          if (method.getName().equals("serviceClientConfiguration")
              && method.getParameterCount() == 0) {
            return configuration;
          }
          try {
            return method.invoke(client, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return new S3CrossRegionAsyncClient(configuredOnce);
  }
}
