package io.github.s3batchspark.execution;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop s3a settings that make Spark read a bucket from the same store, with the same
 * credentials, as our SDK clients built from {@link ClientSettings}.
 *
 * <p>They are set as s3a per-bucket options ({@code fs.s3a.bucket.NAME.endpoint}, ...) in the
 * session's Hadoop configuration: Spark ships that configuration to the executors and uses it
 * when it lists and opens files (data source options are not used for the existence check of the
 * paths), while per-bucket keys leave the cluster's settings for every other bucket alone. A
 * credentials provider the cluster already configured is kept. s3a caches one filesystem per
 * bucket and JVM, so the first read of a bucket fixes its settings.
 */
public final class S3aOptions {
  private static final String PROVIDER = "aws.credentials.provider";

  private S3aOptions() {}

  /**
   * Points s3a at the store of {@code location} when it is an {@code s3a://} path (a job store,
   * a report table); any other path is left to its own file system.
   */
  public static void configureFor(Configuration conf, ClientSettings settings, String location) {
    if (location == null) {
      return;
    }
    URI uri = URI.create(location);
    if ("s3a".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
      configure(conf, settings, uri.getHost());
    }
  }

  /** Points s3a at the store our clients use, for {@code bucket} only. */
  public static void configure(Configuration conf, ClientSettings settings, String bucket) {
    String prefix = "fs.s3a.bucket." + bucket + ".";
    String endpoint = settings.effectiveEndpoint();
    if (endpoint != null) {
      conf.set(prefix + "endpoint", endpoint);
      String scheme = URI.create(endpoint).getScheme();
      boolean https = !"http".equals(scheme == null ? "" : scheme.toLowerCase(Locale.ROOT));
      conf.set(prefix + "connection.ssl.enabled", String.valueOf(https));
    }
    conf.set(prefix + "path.style.access", String.valueOf(settings.pathStyle()));
    if (settings.region() != null && !settings.region().isBlank()) {
      conf.set(prefix + "endpoint.region", settings.region());
    }
    if (!setByCluster(conf, "fs.s3a." + PROVIDER) && !setByCluster(conf, prefix + PROVIDER)) {
      conf.set(prefix + PROVIDER, S3aCredentialsFromDefaultChain.class.getName());
    }
  }

  // core-default.xml lists s3a's own default providers: only a value from elsewhere is a choice
  private static boolean setByCluster(Configuration conf, String key) {
    String[] sources = conf.getPropertySources(key);
    return conf.get(key) != null && sources != null
        && Arrays.stream(sources).anyMatch(source -> !source.equals("core-default.xml"));
  }
}
