package io.github.s3batchspark.execution;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * The S3 client's endpoint and auth scheme, resolved once per bucket instead of once per request.
 *
 * <p>The SDK runs S3's endpoint rule set for every request, twice (once to pick the auth scheme,
 * once for the URL): about a fifth of the CPU a small request costs the client. A job sends
 * millions of requests to one or two buckets, so each answer is kept, keyed by every rule
 * parameter the rule set reads. The object key, prefix, copy source and the keys of a
 * DeleteObjects request are parameters the rules never read; leaving them out of the key is
 * what makes the answers reusable. What is resolved is the default providers' own answer.
 */
public final class ResolvedOnce {
  /** A job touches few buckets; past this many the answers are dropped, not grown without end. */
  private static final int MOST_KEPT = 4_096;

  private ResolvedOnce() {}

  /** Installs both caching providers on an S3 client builder. */
  public static S3AsyncClientBuilder install(S3AsyncClientBuilder builder) {
    return builder.endpointProvider(endpoints(S3EndpointProvider.defaultProvider()))
        .authSchemeProvider(authSchemes(S3AuthSchemeProvider.defaultProvider()));
  }

  static S3EndpointProvider endpoints(S3EndpointProvider rules) {
    Map<RuleInputs, Endpoint> resolved = new ConcurrentHashMap<>();
    return params -> {
      RuleInputs key = RuleInputs.of(params);
      Endpoint known = resolved.get(key);
      if (known != null) {
        return CompletableFuture.completedFuture(known);
      }
      return rules.resolveEndpoint(params).thenApply(endpoint -> {
        keep(resolved, key, endpoint);
        return endpoint;
      });
    };
  }

  static S3AuthSchemeProvider authSchemes(S3AuthSchemeProvider rules) {
    Map<AuthInputs, List<AuthSchemeOption>> resolved = new ConcurrentHashMap<>();
    return params -> {
      AuthInputs key = AuthInputs.of(params);
      List<AuthSchemeOption> known = resolved.get(key);
      if (known != null) {
        return known;
      }
      List<AuthSchemeOption> options = List.copyOf(rules.resolveAuthScheme(params));
      keep(resolved, key, options);
      return options;
    };
  }

  private static <K, V> void keep(Map<K, V> resolved, K key, V value) {
    if (resolved.size() >= MOST_KEPT) {
      resolved.clear();
    }
    resolved.put(key, value);
  }

  /** The endpoint rules' parameters that decide the answer. */
  record RuleInputs(String bucket, String region, Boolean useFips, Boolean useDualStack,
      String endpoint, Boolean forcePathStyle, Boolean accelerate, Boolean useGlobalEndpoint,
      Boolean useObjectLambdaEndpoint, Boolean disableAccessPoints,
      Boolean disableMultiRegionAccessPoints, Boolean useArnRegion,
      Boolean useS3ExpressControlEndpoint, Boolean disableS3ExpressSessionAuth) {

    static RuleInputs of(S3EndpointParams p) {
      return new RuleInputs(p.bucket(), p.region() == null ? null : p.region().id(),
          p.useFips(), p.useDualStack(), p.endpoint(), p.forcePathStyle(), p.accelerate(),
          p.useGlobalEndpoint(), p.useObjectLambdaEndpoint(), p.disableAccessPoints(),
          p.disableMultiRegionAccessPoints(), p.useArnRegion(), p.useS3ExpressControlEndpoint(),
          p.disableS3ExpressSessionAuth());
    }
  }

  /** The auth scheme's inputs: the operation (some sign differently) and the rules' inputs. */
  record AuthInputs(String operation, String regionSet, RuleInputs rules) {

    static AuthInputs of(S3AuthSchemeParams p) {
      return new AuthInputs(p.operation(), Objects.toString(p.regionSet(), null),
          new RuleInputs(p.bucket(), p.region() == null ? null : p.region().id(), p.useFips(),
              p.useDualStack(), p.endpoint(), p.forcePathStyle(), p.accelerate(),
              p.useGlobalEndpoint(), p.useObjectLambdaEndpoint(), p.disableAccessPoints(),
              p.disableMultiRegionAccessPoints(), p.useArnRegion(),
              p.useS3ExpressControlEndpoint(), p.disableS3ExpressSessionAuth()));
    }
  }
}
