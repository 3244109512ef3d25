package io.github.s3batchspark.execution;

import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.AWSCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.auth.BasicSessionCredentials;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Gives Hadoop's s3a connector (SDK v1) the credentials of the SDK v2 default chain, so that
 * Spark's reads of inventory data files use the same credentials as our own S3 clients
 * (environment, {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties, profile,
 * container or instance role). The v1 chain differs: it reads {@code aws.secretKey}, not
 * {@code aws.secretAccessKey}.
 *
 * <p>s3a instantiates this class by name on every executor, hence the public constructors.
 */
public final class S3aCredentialsFromDefaultChain implements AWSCredentialsProvider {
  private final DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();

  public S3aCredentialsFromDefaultChain() {}

  /** The constructor s3a looks for first. */
  public S3aCredentialsFromDefaultChain(URI bucket, Configuration conf) {}

  @Override
  public AWSCredentials getCredentials() {
    AwsCredentials credentials = chain.resolveCredentials();
    if (credentials instanceof AwsSessionCredentials session) {
      return new BasicSessionCredentials(session.accessKeyId(), session.secretAccessKey(),
          session.sessionToken());
    }
    return new BasicAWSCredentials(credentials.accessKeyId(), credentials.secretAccessKey());
  }

  @Override
  public void refresh() {
    // the v2 chain refreshes expiring credentials itself
  }
}
