package io.github.s3batchspark.execution;

import java.io.Serializable;
import java.net.URI;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the executors reach S3, and as whom: the parts of the SDK configuration that a job may
 * set, as a serialisable value so that each executor JVM builds its own clients once from it.
 *
 * <p>Null fields fall back to the SDK's standard settings ({@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_REGION}) of the JVM that builds the clients; the command line fixes the driver's
 * into the settings first ({@link #resolvedOnDriver()}), so that executors elsewhere use them.
 * Requests are signed as the job's role unless the caller's credentials are chosen explicitly
 * ({@link SigningCredentials}): a role must be bound with {@link #forJob} before any client is
 * built. An endpoint that is an IP address or {@code localhost} is addressed path-style, as
 * local S3 servers need.
 *
 * @param endpointUrl           S3 endpoint, or null for the SDK default
 * @param region                region, or null for the SDK default (us-east-1 when none is found)
 * @param maxConcurrency        HTTP connections per executor JVM
 * @param multipartThreshold    objects larger than this are copied in parts (UploadPartCopy)
 * @param multipartPartSize     part size of a multipart copy
 * @param eventsEndpointUrl     endpoint of SQS, SNS and EventBridge (S3EmitEvent), of SES
 *                              and CloudWatch (job notices and metrics), of DynamoDB (a
 *                              table as the manifest, results written as items) and of EMR
 *                              Serverless (a trigger's handoff), as the user gave it
 *                              ({@code --events-endpoint-url}); null for each service's own
 *                              ({@code serviceEndpoints})
 * @param lambdaEndpointUrl     Lambda endpoint for LambdaInvoke, or null for the SDK default
 *                              ({@code AWS_ENDPOINT_URL_LAMBDA}, else AWS)
 * @param lambdaTimeoutMillis   how long one Invoke may take before the task fails with
 *                              LambdaTimeout (Lambda's own limit is 15 minutes)
 * @param credentials           whose credentials sign requests to objects and every other
 *                              service the job calls ({@link SigningCredentials})
 * @param role                  the job's role and session when {@code credentials} is
 *                              {@link SigningCredentials#ROLE}: bound by {@link #forJob}, null
 *                              before (no client can be built then)
 * @param stsEndpointUrl        STS endpoint, or null for the SDK default
 *                              ({@code AWS_ENDPOINT_URL_STS}, else AWS); never the S3 endpoint
 * @param serviceEndpoints      the endpoints of the services at the events endpoint, one each,
 *                              as the driver's environment configures them ({@link
 *                              #resolvedOnDriver}); used where {@code eventsEndpointUrl} is not
 *                              set. Empty before resolution
 */
public record ClientSettings(
    String endpointUrl, String region, int maxConcurrency, long multipartThreshold,
    long multipartPartSize, String eventsEndpointUrl, String lambdaEndpointUrl,
    long lambdaTimeoutMillis, SigningCredentials credentials, RoleSession role,
    String stsEndpointUrl, Map<AwsService, String> serviceEndpoints) implements Serializable {

  /** Lambda's longest run (15 minutes) plus time for the response to arrive. */
  public static final long DEFAULT_LAMBDA_TIMEOUT_MILLIS = 16L * 60 * 1000;

  public ClientSettings {
    if (credentials == null) {
      throw new IllegalArgumentException("credentials must be 'role' or 'caller'");
    }
    // an immutable copy, so that the settings stay a value (and a key of the shared clients)
    serviceEndpoints = serviceEndpoints == null ? Map.of() : Map.copyOf(serviceEndpoints);
  }

  /**
   * Settings with the SDK's own endpoints for the services other than S3, signed as the job's
   * role (bound later by {@link #forJob}).
   */
  public ClientSettings(String endpointUrl, String region, int maxConcurrency,
      long multipartThreshold, long multipartPartSize) {
    this(endpointUrl, region, maxConcurrency, multipartThreshold, multipartPartSize, null, null,
        DEFAULT_LAMBDA_TIMEOUT_MILLIS, SigningCredentials.ROLE, null, null, Map.of());
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
        lambdaTimeoutMillis, credentials, role, stsEndpointUrl, serviceEndpoints);
  }

  public ClientSettings withRegion(String region) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl,
        lambdaTimeoutMillis, credentials, role, stsEndpointUrl, serviceEndpoints);
  }

  public ClientSettings withMultipart(long threshold, long partSize) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, threshold, partSize,
        eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis, credentials, role,
        stsEndpointUrl, serviceEndpoints);
  }

  public ClientSettings withMaxConcurrency(int maxConcurrency) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl,
        lambdaTimeoutMillis, credentials, role, stsEndpointUrl, serviceEndpoints);
  }

  /** Where S3EmitEvent reaches SQS, SNS and EventBridge (a local server serves all three). */
  public ClientSettings withEventsEndpoint(String eventsEndpointUrl) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis,
        credentials, role, stsEndpointUrl, serviceEndpoints);
  }

  public ClientSettings withLambda(String lambdaEndpointUrl, long lambdaTimeoutMillis) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl,
        lambdaTimeoutMillis, credentials, role, stsEndpointUrl, serviceEndpoints);
  }

  /** Signs as the caller or as the job's role; switching to the caller forgets any role. */
  public ClientSettings withCredentials(SigningCredentials credentials) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis,
        credentials, credentials == SigningCredentials.CALLER ? null : role, stsEndpointUrl,
        serviceEndpoints);
  }

  /** Signs with the caller's own credentials: for stores without STS (local servers). */
  public ClientSettings withCallerCredentials() {
    return withCredentials(SigningCredentials.CALLER);
  }

  /** Where STS is (null: the SDK default, {@code AWS_ENDPOINT_URL_STS}, else AWS). */
  public ClientSettings withStsEndpoint(String stsEndpointUrl) {
    return new ClientSettings(endpointUrl, region, maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl, lambdaEndpointUrl, lambdaTimeoutMillis,
        credentials, role, stsEndpointUrl, serviceEndpoints);
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
        credentials, RoleSession.of(roleArn, jobId), stsEndpointUrl, serviceEndpoints);
  }

  /**
   * These settings with what the driver's SDK configuration says filled into the fields left
   * unset, so that they travel to the executors with the settings: an executor on another
   * machine has neither the driver's environment, nor its system properties, nor its {@code
   * ~/.aws/config}. Every service an executor calls gets its endpoint here, read as the SDK reads
   * it ({@link SdkEnvironment}: {@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL},
   * their system properties and the config file's {@code endpoint_url} and {@code services}),
   * and the region likewise. Explicit settings win.
   */
  public ClientSettings resolvedOnDriver(SdkEnvironment environment) {
    Map<AwsService, String> services = new EnumMap<>(AwsService.class);
    if (blankToNull(eventsEndpointUrl) == null) {
      for (AwsService service : AwsService.values()) {
        String endpoint = service.atEventsEndpoint() ? environment.endpoint(service) : null;
        if (endpoint != null) {
          services.put(service, endpoint);
        }
      }
    }
    return new ClientSettings(
        firstSet(endpointUrl, environment.endpoint(AwsService.S3)),
        firstSet(region, environment.region()), maxConcurrency, multipartThreshold,
        multipartPartSize, eventsEndpointUrl,
        firstSet(lambdaEndpointUrl, environment.endpoint(AwsService.LAMBDA)),
        lambdaTimeoutMillis, credentials, role,
        firstSet(stsEndpointUrl, environment.endpoint(AwsService.STS)), services);
  }

  /**
   * {@link #resolvedOnDriver(SdkEnvironment)} from variables and system properties alone (no
   * config file).
   *
   * @param environment a variable's or system property's value by name, null when unset
   */
  public ClientSettings resolvedOnDriver(java.util.function.UnaryOperator<String> environment) {
    return resolvedOnDriver(SdkEnvironment.of(environment, null));
  }

  /** {@link #resolvedOnDriver(SdkEnvironment)} from this JVM's SDK configuration. */
  public ClientSettings resolvedOnDriver() {
    return resolvedOnDriver(SdkEnvironment.ofThisJvm());
  }

  /**
   * The endpoint the clients of {@code service} use: the explicit or resolved one, or null for
   * the SDK's own (AWS's endpoint for the region, unless the JVM that builds the client has one
   * configured: settings resolved on the driver leave that only where the driver had none).
   */
  public String endpointOf(AwsService service) {
    return switch (service) {
      case S3 -> blankToNull(endpointUrl);
      case LAMBDA -> blankToNull(lambdaEndpointUrl);
      case STS -> blankToNull(stsEndpointUrl);
      default -> firstSet(eventsEndpointUrl, serviceEndpoints.get(service));
    };
  }

  private static String firstSet(String... values) {
    return SdkEnvironment.firstSet(values);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * The S3 endpoint in effect: the explicit or resolved one, else {@code AWS_ENDPOINT_URL_S3},
   * else {@code AWS_ENDPOINT_URL} of this JVM (settings never resolved: a library's caller).
   */
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
