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
  private static final String S3A = "org.apache.hadoop.fs.s3a.S3AFileSystem";

  private S3aOptions() {}

  /**
   * Points s3a at the store of {@code location} when it is an {@code s3a://} path (a job store,
   * a report table), or an {@code s3://} one where s3a serves that scheme too; any other path is
   * left to its own file system.
   */
  public static void configureFor(Configuration conf, ClientSettings settings, String location) {
    if (location == null) {
      return;
    }
    URI uri = URI.create(location);
    if ("s3".equalsIgnoreCase(uri.getScheme())) {
      readS3AsS3a(conf);
    }
    boolean s3a = "s3a".equalsIgnoreCase(uri.getScheme()) || ("s3".equalsIgnoreCase(
        uri.getScheme()) && S3A.equals(conf.get("fs.s3.impl")));
    if (s3a && uri.getHost() != null) {
      configure(conf, settings, uri.getHost());
    }
  }

  /**
   * Lets {@code s3://} paths be read by s3a where nothing else serves the scheme (EMR's EMRFS
   * does; a Spark distribution with hadoop-aws has only s3a), so that a path is written the same
   * way on EMR and off it.
   */
  public static void readS3AsS3a(Configuration conf) {
    if (conf.get("fs.s3.impl") != null) {
      return; // EMRFS, or the user's choice
    }
    try {
      Class.forName(S3A, false, S3aOptions.class.getClassLoader());
      conf.set("fs.s3.impl", S3A);
    } catch (ClassNotFoundException | LinkageError e) {
      // no hadoop-aws: an s3:// path then fails naming the fix (cli.S3Batch)
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
