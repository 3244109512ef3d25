package io.github.s3batchspark.bench;

import java.util.Map;

/** The SDK's default chains read these; the load server accepts any credentials. */
final class BenchCredentials {
  static final String ACCESS_KEY = "bench";
  static final String SECRET_KEY = "bench";
  static final String REGION = "us-east-1";

  private BenchCredentials() {}

  static void install() {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    System.setProperty("aws.region", REGION);
  }

  /** The same, for a child process: the environment variables the SDK's chains read. */
  static Map<String, String> environment() {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
        "AWS_REGION", REGION);
  }
}
