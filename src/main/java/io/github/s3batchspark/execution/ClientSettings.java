package io.github.s3batchspark.execution;

import java.io.Serializable;
import java.net.URI;
import java.util.Locale;

/**
 * How the executors reach S3, and as whom: the parts of the SDK configuration that a job may
 * set, as a serialisable value so that each executor JVM builds its own clients once from it.
 *
 * <p>Null fields fall back to the SDK's standard settings ({@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_REGION}). Requests are signed as the job's role unless the caller's credentials are
 * chosen explicitly ({@link SigningCredentials}): a role must be bound with {@link #forJob}
 * before any client is built. An endpoint that is an IP address or {@code localhost} is
 * addressed path-style, as local S3 servers need.
 *
 * @param endpointUrl           S3 endpoint, or null for the SDK default
 * @param region                region, or null for the SDK default (us-east-1 when none is found)
 * @param maxConcurrency        HTTP connections per executor JVM
 * @param multipartThreshold    objects larger than this are copied in parts (UploadPartCopy)
 * @param multipartPartSize     part size of a multipart copy
 * @param eventsEndpointUrl     endpoint of SQS, SNS and EventBridge (S3EmitEvent), of SES
 *                              and CloudWatch (job notices and metrics), of DynamoDB (a
 *                              table as the manifest, results written as items) and of EMR
 *                              Serverless (a trigger's handoff), or null for
 *                              the SDK default ({@code AWS_ENDPOINT_URL_SQS} and so on)
 * @param lambdaEndpointUrl     Lambda endpoint for LambdaInvoke, or null for
 *                              {@code AWS_ENDPOINT_URL_LAMBDA}, else the SDK default
 * @param lambdaTimeoutMillis   how long one Invoke may take before the task fails with
 *                              LambdaTimeout (Lambda's own limit is 15 minutes)
 * @param credentials           whose credentials sign requests to objects and every other
 *                              service the job calls ({@link SigningCredentials})
 * @param role                  the job's role and session when {@code credentials} is
 *                              {@link SigningCredentials#ROLE}: bound by {@link #forJob}, null
 *                              before (no client can be built then)
 * @param stsEndpointUrl        STS endpoint, or null for the SDK default
 *                              ({@code AWS_ENDPOINT_URL_STS}, else AWS); never the S3 endpoint
 */
public record ClientSettings(
    String endpointUrl, String region, int maxConcurrency, long multipartThreshold,
    long multipartPartSize, String eventsEndpointUrl, String lambdaEndpointUrl,
    long lambdaTimeoutMillis, SigningCredentials credentials, RoleSession role,
    String stsEndpointUrl) implements Serializable {

  /** Lambda's longest run (15 minutes) plus time for the response to arrive. */
  public static final long DEFAULT_LAMBDA_TIMEOUT_MILLIS = 16L * 60 * 1000;

  public ClientSettings {
    if (credentials == null) {
      throw new IllegalArgumentException("credentials must be 'role' or 'caller'");
    }
  }

  /**
   * Settings with the SDK's own endpoints for the services other than S3, signed as the job's
   * role (bound later by {@link #forJob}).
   */
  public ClientSettings(String endpointUrl, String region, int maxConcurrency,
      long multipartThreshold, long multipartPartSize) {
    this(endpointUrl, region, maxConcurrency, multipartThreshold, multipartPartSize, null, null,
        DEFAULT_LAMBDA_TIMEOUT_MILLIS, SigningCredentials.ROLE, null, null);
  }

  /** The largest object a single CopyObject request may copy (S3's limit, 5 GiB). */
  public static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
  public static final long DEFAULT_PART_SIZE = 256L * 1024 * 1024;

  public static ClientSettings defaults() {
    return new ClientSettings(null, null, 512, MAX_SINGLE_COPY, DEFAULT_PART_SIZE);
  }

  public ClientSettings withEndpoint(String endpointUrl) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl,
        lambdaTimeoutMillis, credentials, role, stsEndpointUrl);
  }

  public ClientSettings withRegion(String region) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl,
        lambdaTimeoutMillis, credentials, role, stsEndpointUrl);
  }

  public ClientSettings withMultipart(long threshold, long partSize) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, threshold, partSize,
        eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis, credentials, role,
        stsEndpointUrl);
  }

  public ClientSettings withMaxConcurrency(int maxConcurrency) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl,
        lambdaTimeoutMillis, credentials, role, stsEndpointUrl);
  }

  /** Where S3EmitEvent reaches SQS, SNS and EventBridge (a local server serves all three). */
  public ClientSettings withEventsEndpoint(String eventsEndpointUrl) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis,
        credentials, role, stsEndpointUrl);
  }

  public ClientSettings withLambda(String lambdaEndpointUrl, long lambdaTimeoutMillis) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl,
        lambdaTimeoutMillis, credentials, role, stsEndpointUrl);
  }

  /** Signs as the caller or as the job's role; switching to the caller forgets any role. */
  public ClientSettings withCredentials(SigningCredentials credentials) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis,
        credentials, credentials == SigningCredentials.CALLER ? null : role, stsEndpointUrl);
  }

  /** Signs with the caller's own credentials: for stores without STS (local servers). */
  public ClientSettings withCallerCredentials() {
    return withCredentials(SigningCredentials.CALLER);
  }

  /** Where STS is (null: the SDK default, {@code AWS_ENDPOINT_URL_STS}, else AWS). */
  public ClientSettings withStsEndpoint(String stsEndpointUrl) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis,
        credentials, role, stsEndpointUrl);
  }

  /**
   * These settings for one job: signed as its {@code roleArn} in a session named after
   * {@code jobId} when the choice is {@link SigningCredentials#ROLE}; unchanged when it is
   * {@link SigningCredentials#CALLER}.
   *
   * @throws IllegalArgumentException when the role is to be assumed and {@code roleArn} is blank
   */
  public ClientSettings forJob(String roleArn, String jobId) {
    if (credentials == SigningCredentials.CALLER) {
      return this;
    }
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis,
        credentials, RoleSession.of(roleArn, jobId), stsEndpointUrl);
  }

  /**
   * These settings with what the driver's environment says filled into the fields left unset,
   * so that they travel to the executors with the settings: an executor on another machine has
   * neither the driver's environment nor its system properties. Reads the SDK's variables:
   * {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL_LAMBDA}, {@code AWS_ENDPOINT_URL_STS}
   * and {@code AWS_ENDPOINT_URL} for endpoints; {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}
   * and the system property {@code aws.region} for the region. Explicit settings win.
   *
   * @param environment a variable's or system property's value by name, null when unset
   */
  public ClientSettings resolvedOnDriver(java.util.function.UnaryOperator<String> environment) {
    String any = blankToNull(environment.apply("AWS_ENDPOINT_URL"));
    String s3 = firstSet(endpointUrl, environment.apply("AWS_ENDPOINT_URL_S3"), any);
    String lambda = firstSet(lambdaEndpointUrl, environment.apply("AWS_ENDPOINT_URL_LAMBDA"),
        any);
    String sts = firstSet(stsEndpointUrl, environment.apply("AWS_ENDPOINT_URL_STS"), any);
    String events = firstSet(eventsEndpointUrl, any);
    String where = firstSet(region, environment.apply("AWS_REGION"),
        environment.apply("AWS_DEFAULT_REGION"), environment.apply("aws.region"));
    return new ClientSettings(s3, where, maxConcurrency, multipartThreshold, multipartPartSize,
        events, lambda, lambdaTimeoutMillis, credentials, role, sts);
  }

  /** {@link #resolvedOnDriver(java.util.function.UnaryOperator)} from this JVM's environment. */
  public ClientSettings resolvedOnDriver() {
    return resolvedOnDriver(name -> name.contains(".") ? System.getProperty(name)
        : System.getenv(name));
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (blankToNull(v) != null) {
        return v;
      }
    }
    return null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * The Lambda endpoint in effect: the explicit one, else {@code AWS_ENDPOINT_URL_LAMBDA}, else
   * {@code AWS_ENDPOINT_URL}, else null (the SDK's endpoint for the region).
   */
  public String effectiveLambdaEndpoint() {
    if (lambdaEndpointUrl != null && !lambdaEndpointUrl.isBlank()) {
      return lambdaEndpointUrl;
    }
    String env = System.getenv("AWS_ENDPOINT_URL_LAMBDA");
    if (env == null || env.isBlank()) {
      env = System.getenv("AWS_ENDPOINT_URL");
    }
    return env == null || env.isBlank() ? null : env;
  }

  /** The endpoint in effect: the explicit one, else {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL}. */
  public String effectiveEndpoint() {
    if (endpointUrl != null && !endpointUrl.isBlank()) {
      return endpointUrl;
    }
    String env = System.getenv("AWS_ENDPOINT_URL_S3");
    if (env == null || env.isBlank()) {
      env = System.getenv("AWS_ENDPOINT_URL");
    }
    return env == null || env.isBlank() ? null : env;
  }

  /** Local servers (an IP address or localhost) do not serve virtual-hosted bucket names. */
  public boolean pathStyle() {
    String endpoint = effectiveEndpoint();
    if (endpoint == null) {
      return false;
    }
    String host = URI.create(endpoint).getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.equals("localhost") || host.matches("[0-9.]+") || host.startsWith("[");
  }
}
