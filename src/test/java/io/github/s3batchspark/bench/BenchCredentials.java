package io.github.s3batchspark.bench;

/** The SDK's default chains read these; the load server accepts any credentials. */
final class BenchCredentials {
  private BenchCredentials() {}

  static void install() {
    System.setProperty("aws.accessKeyId", "bench");
    System.setProperty("aws.secretAccessKey", "bench");
    System.setProperty("aws.region", "us-east-1");
  }
}
