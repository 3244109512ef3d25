package io.github.s3batchspark.execution;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.emrserverless.EmrServerlessAsyncClient;
import software.amazon.awssdk.services.ses.SesAsyncClient;

/**
 * The SDK clients of one executor JVM, built once per {@link ClientSettings} and shared by every
 * partition that runs there (never one client per object or per partition). Every client, S3's
 * and the other services' alike, signs with the settings' credentials ({@link RoleCredentials}):
 * the job's role unless the caller's were chosen.
 *
 * <p>SDK retries are switched off: the {@link TaskRunner} retries, so that every attempt is
 * counted in the report and backoff follows the job's settings.
 */
public final class ExecutorClients implements AutoCloseable {
  private static final Map<ClientSettings, ExecutorClients> SHARED = new ConcurrentHashMap<>();

  private final ClientSettings settings;
  private final ScheduledThreadPoolExecutor callTimeouts = callTimeouts();
  private final SdkAsyncHttpClient http;
  private final S3AsyncClient s3;
  // Built on first use: most jobs never publish events.
  private volatile SqsAsyncClient sqs;
  private volatile SnsAsyncClient sns;
  private volatile EventBridgeAsyncClient eventBridge;
  // Built on first use by the driver's job notices and metrics (package notify).
  private volatile SesAsyncClient ses;
  private volatile CloudWatchAsyncClient cloudWatch;
  // Built on first use: a DynamoDB manifest's Scan, or a function writing results as items.
  private volatile DynamoDbAsyncClient dynamoDb;
  private volatile EmrServerlessAsyncClient emrServerless;
  /** Built on first use: most jobs never call Lambda. */
  private volatile LambdaAsyncClient lambda;
  private SdkAsyncHttpClient lambdaHttp;

  private ExecutorClients(ClientSettings settings) {
    this.settings = settings;
    this.http = NettyNioAsyncHttpClient.builder()
        .maxConcurrency(settings.maxConcurrency())
        .maxPendingConnectionAcquires(100_000)
        .connectionAcquisitionTimeout(Duration.ofMinutes(2))
        .build();
    this.s3 = CrossRegion.of(configure(S3AsyncClient.builder()).build());
  }

  /** The clients for these settings in this JVM, built on first use. */
  public static ExecutorClients get(ClientSettings settings) {
    return SHARED.computeIfAbsent(settings, ExecutorClients::new);
  }

  /**
   * Closes and forgets every shared client and assumed role of this JVM (tests, and the end of a
   * local run).
   */
  public static void closeAll() {
    SHARED.values().forEach(ExecutorClients::close);
    SHARED.clear();
    RoleCredentials.closeAll();
  }

  public ClientSettings settings() {
    return settings;
  }

  /** The async S3 client for single requests. */
  public S3AsyncClient s3() {
    return s3;
  }

  /** The async SQS client (S3EmitEvent), built on first use. */
  public SqsAsyncClient sqs() {
    if (sqs == null) {
      synchronized (this) {
        if (sqs == null) {
          sqs = configureEvents(SqsAsyncClient.builder(), AwsService.SQS).build();
        }
      }
    }
    return sqs;
  }

  /** The async SNS client (S3EmitEvent), built on first use. */
  public SnsAsyncClient sns() {
    if (sns == null) {
      synchronized (this) {
        if (sns == null) {
          sns = configureEvents(SnsAsyncClient.builder(), AwsService.SNS).build();
        }
      }
    }
    return sns;
  }

  /** The async EventBridge client (S3EmitEvent), built on first use. */
  public EventBridgeAsyncClient eventBridge() {
    if (eventBridge == null) {
      synchronized (this) {
        if (eventBridge == null) {
          eventBridge = configureEvents(EventBridgeAsyncClient.builder(),
              AwsService.EVENTBRIDGE).build();
        }
      }
    }
    return eventBridge;
  }

  /** The async SES client (job notices by email), built on first use at the events endpoint. */
  public SesAsyncClient ses() {
    if (ses == null) {
      synchronized (this) {
        if (ses == null) {
          ses = configureEvents(SesAsyncClient.builder(), AwsService.SES).build();
        }
      }
    }
    return ses;
  }

  /** The async CloudWatch client (per-job metrics), built on first use at the events endpoint. */
  public CloudWatchAsyncClient cloudWatch() {
    if (cloudWatch == null) {
      synchronized (this) {
        if (cloudWatch == null) {
          cloudWatch = configureEvents(CloudWatchAsyncClient.builder(),
              AwsService.CLOUDWATCH).build();
        }
      }
    }
    return cloudWatch;
  }

  /**
   * The async DynamoDB client (a table as the manifest, results written as items), built on
   * first use at the events endpoint, else DynamoDB's as the driver resolved it ({@code
   * AWS_ENDPOINT_URL_DYNAMODB}, ...).
   */
  public DynamoDbAsyncClient dynamoDb() {
    if (dynamoDb == null) {
      synchronized (this) {
        if (dynamoDb == null) {
          dynamoDb = configureEvents(DynamoDbAsyncClient.builder(), AwsService.DYNAMODB).build();
        }
      }
    }
    return dynamoDb;
  }

  /**
   * The async EMR Serverless client (a trigger handing its job to EMR Serverless), built on
   * first use at the events endpoint.
   */
  public EmrServerlessAsyncClient emrServerless() {
    if (emrServerless == null) {
      synchronized (this) {
        if (emrServerless == null) {
          emrServerless = configureEvents(EmrServerlessAsyncClient.builder(),
              AwsService.EMR_SERVERLESS).build();
        }
      }
    }
    return emrServerless;
  }

  /**
   * The shared HTTP client, region and credentials, no SDK retries; the endpoint is the
   * service's in the settings ({@link ClientSettings#endpointOf}): the events endpoint, else the
   * one the driver resolved for the service, else the SDK's own.
   */
  private <B extends AwsClientBuilder<B, ?> & AwsAsyncClientBuilder<B, ?>> B configureEvents(
      B builder, AwsService service) {
    builder.httpClient(http)
        .credentialsProvider(RoleCredentials.of(settings))
        .region(region(settings))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .scheduledExecutorService(callTimeouts)
            .apiCallTimeout(Duration.ofMinutes(2)));
    String endpoint = settings.endpointOf(service);
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder;
  }

  /**
   * The async Lambda client for LambdaInvoke, at the settings' Lambda endpoint.
   * It has its own connections: an Invoke waits as long as the function runs (up to 15
   * minutes), far past the read timeout that suits S3.
   */
  public LambdaAsyncClient lambda() {
    LambdaAsyncClient client = lambda;
    if (client == null) {
      synchronized (this) {
        if (lambda == null) {
          lambda = buildLambda();
        }
        client = lambda;
      }
    }
    return client;
  }

  private LambdaAsyncClient buildLambda() {
    Duration timeout = Duration.ofMillis(settings.lambdaTimeoutMillis());
    lambdaHttp = NettyNioAsyncHttpClient.builder()
        .maxConcurrency(settings.maxConcurrency())
        .maxPendingConnectionAcquires(100_000)
        .connectionAcquisitionTimeout(Duration.ofMinutes(2))
        // past the call's timeout, so that a silent function always ends as LambdaTimeout (not
        // retried: it may still be running) and never as a read timeout, which is retried
        .readTimeout(timeout.plusSeconds(30))
        .build();
    var builder = LambdaAsyncClient.builder()
        .httpClient(lambdaHttp)
        .credentialsProvider(RoleCredentials.of(settings))
        .region(region(settings))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .scheduledExecutorService(callTimeouts)
            .apiCallTimeout(timeout));
    String endpoint = settings.endpointOf(AwsService.LAMBDA);
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }

  /** A synchronous client with the same settings, for driver-side reads (manifests, reports). */
  public static S3Client syncClient(ClientSettings settings) {
    var builder = S3Client.builder()
        .credentialsProvider(RoleCredentials.of(settings))
        .region(region(settings))
        .forcePathStyle(settings.pathStyle())
        .crossRegionAccessEnabled(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    String endpoint = settings.effectiveEndpoint();
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }

  private S3AsyncClientBuilder configure(S3AsyncClientBuilder builder) {
    ResolvedOnce.install(builder);
    builder.httpClient(http)
        .credentialsProvider(RoleCredentials.of(settings))
        .region(region(settings))
        .forcePathStyle(settings.pathStyle())
        // S3-compatible stores often reject the flexible checksums newer SDKs send by default.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .scheduledExecutorService(callTimeouts)
            .apiCallTimeout(Duration.ofMinutes(30)));
    String endpoint = settings.effectiveEndpoint();
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder;
  }

  /**
   * Where the SDK schedules each call's timeout ({@code apiCallTimeout}). The SDK's own
   * scheduler keeps a cancelled timeout queued until its time comes (30 minutes for S3), which
   * at thousands of calls a second holds millions of them on an executor; this one drops a
   * timeout as soon as its call ends.
   */
  private static ScheduledThreadPoolExecutor callTimeouts() {
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "s3batch-sdk-call-timeouts");
      t.setDaemon(true);
      return t;
    });
    timers.setRemoveOnCancelPolicy(true);
    return timers;
  }

  /** Timeouts of calls still running (the others have been dropped). */
  int queuedCallTimeouts() {
    return callTimeouts.getQueue().size();
  }

  static Region region(ClientSettings settings) {
    if (settings.region() != null && !settings.region().isBlank()) {
      return Region.of(settings.region());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (RuntimeException noRegionConfigured) {
      return Region.US_EAST_1;
    }
  }

  @Override
  public synchronized void close() {
    for (SdkAutoCloseable events : new SdkAutoCloseable[] {sqs, sns, eventBridge, ses, cloudWatch,
        dynamoDb, emrServerless}) {
      if (events != null) {
        events.close();
      }
    }
    s3.close();
    http.close();
    if (lambda != null) {
      lambda.close();
      lambdaHttp.close();
    }
    callTimeouts.shutdownNow(); // the SDK leaves an executor it was given to its owner
  }
}
