package io.github.s3batchspark.execution;

/**
 * An AWS service that a job's clients call, with the names under which the SDK for Java v2 reads
 * a configured endpoint for it: the environment variable {@code AWS_ENDPOINT_URL_<SERVICE>}, the
 * system property {@code aws.endpointUrl<Service>} and the {@code ~/.aws/config} key
 * {@code <service>} (as the SDK's generated client builders name them).
 */
public enum AwsService {
  S3("S3", "s3"),
  STS("Sts", "sts"),
  LAMBDA("Lambda", "lambda"),
  DYNAMODB("DynamoDb", "dynamodb"),
  SQS("Sqs", "sqs"),
  SNS("Sns", "sns"),
  EVENTBRIDGE("EventBridge", "eventbridge"),
  SES("Ses", "ses"),
  CLOUDWATCH("CloudWatch", "cloudwatch"),
  EMR_SERVERLESS("EmrServerless", "emr_serverless");

  private final String propertySuffix;
  private final String configKey;

  AwsService(String propertySuffix, String configKey) {
    this.propertySuffix = propertySuffix;
    this.configKey = configKey;
  }

  /** {@code AWS_ENDPOINT_URL_DYNAMODB} and so on. */
  public String environmentVariable() {
    return "AWS_ENDPOINT_URL_" + name();
  }

  /** {@code aws.endpointUrlDynamoDb} and so on. */
  public String systemProperty() {
    return "aws.endpointUrl" + propertySuffix;
  }

  /** The key of the service's sub-section in a profile or a {@code [services]} section. */
  public String configKey() {
    return configKey;
  }

  /**
   * True for the services reached at the one events endpoint that {@code
   * --events-endpoint-url} sets: all but S3, STS and Lambda, which have endpoints of their own.
   */
  public boolean atEventsEndpoint() {
    return this != S3 && this != STS && this != LAMBDA;
  }
}
