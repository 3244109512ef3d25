package io.github.s3batchspark.cli;

import io.github.s3batchspark.execution.ClientSettings;
import org.kohsuke.args4j.Option;

/**
 * The options of every verb that calls S3: where S3 is and in which region, documented and
 * resolved the same way for all of them. The settings are fixed on the driver, from the flags
 * and then the SDK's own configuration there, so that executors elsewhere use the same.
 */
abstract class AwsVerb implements Verb {

  @Option(name = "--endpoint-url", metaVar = "URL",
      usage = "S3 endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or the profile's "
          + "endpoint_url, as the SDK reads them, else AWS). An IP address or localhost is "
          + "addressed path-style")
  String endpointUrl;

  @Option(name = "--region", metaVar = "REGION",
      usage = "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's region, "
          + "else us-east-1)")
  String region;

  @Option(name = "--help", aliases = "-h", help = true, usage = "print this verb's options")
  boolean help;

  @Override
  public boolean helpRequested() {
    return help;
  }

  /**
   * {@code base} with this command line's settings, then every endpoint and the region left
   * unset filled in from the driver's SDK configuration ({@link ClientSettings#resolvedOnDriver}).
   */
  ClientSettings clientSettings(ClientSettings base) {
    // Fixed here, on the driver: the executors get the settings, not this environment.
    return withFlags(base).resolvedOnDriver();
  }

  /** {@code settings} with the flags given; a verb with more flags adds its own. */
  ClientSettings withFlags(ClientSettings settings) {
    if (endpointUrl != null) {
      settings = settings.withEndpoint(endpointUrl);
    }
    if (region != null) {
      settings = settings.withRegion(region);
    }
    return settings;
  }
}
