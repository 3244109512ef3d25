package io.github.s3batchspark.job;

import io.github.s3batchspark.execution.ClientSettings;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;

/**
 * Points Hadoop's s3a file system, which the job store uses for {@code s3a://} locations, at the
 * same S3 endpoint and region as the job's own clients. Credentials are left to s3a's provider
 * chain (environment, instance profile, or {@code fs.s3a.access.key}), never copied here.
 */
public final class HadoopS3a {
  private HadoopS3a() {}

  /** Sets the s3a endpoint settings that {@code settings} implies; returns {@code conf}. */
  public static Configuration configure(Configuration conf, ClientSettings settings) {
    String endpoint = settings.effectiveEndpoint();
    if (endpoint != null) {
      conf.set("fs.s3a.endpoint", endpoint);
      // a local server speaks plain http and cannot serve bucket names as host names
      conf.setBoolean("fs.s3a.connection.ssl.enabled",
          !"http".equalsIgnoreCase(URI.create(endpoint).getScheme()));
      conf.setBoolean("fs.s3a.path.style.access", settings.pathStyle());
    }
    if (settings.region() != null && !settings.region().isBlank()) {
      conf.set("fs.s3a.endpoint.region", settings.region());
    }
    return conf;
  }
}
