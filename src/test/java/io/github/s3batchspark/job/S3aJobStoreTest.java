package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The job store on {@code s3a://} against a real S3 server (S3Mock). */
class S3aJobStoreTest extends JobStoreContract {
  private static LocalS3Server server;
  private static String bucket;

  @BeforeAll
  static void startServer() {
    server = LocalS3Server.s3mock();
    bucket = Buckets.create(server.client(), "jobstore");
  }

  private static Configuration s3aConfiguration() {
    Configuration conf = HadoopS3a.configure(new Configuration(), server.clientSettings());
    conf.set("fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", "test");
    conf.set("fs.s3a.secret.key", "test");
    return conf;
  }

  @Override
  JobStore newStore() {
    return HadoopJobStore.open("s3a://" + bucket + "/stores/" + UUID.randomUUID(),
        s3aConfiguration(), null);
  }

  @Override
  JobStore reopen(JobStore store) {
    return HadoopJobStore.open(store.location(), s3aConfiguration(), null);
  }

  @Test
  void recordIsAnObjectUnderTheStorePrefix() {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());
    String prefix = store.location().substring(("s3a://" + bucket + "/").length());

    S3Client s3 = server.client();
    String body = s3.getObjectAsBytes(b -> b.bucket(bucket)
        .key(prefix + "/jobs/" + job.jobId() + "/job.json")).asUtf8String();

    assertTrue(body.contains("\"JobId\" : \"" + job.jobId() + "\""), body);
  }

  @Test
  void s3aSettingsFollowTheClientSettings() {
    Configuration conf = HadoopS3a.configure(new Configuration(false),
        ClientSettings.defaults().withEndpoint("http://127.0.0.1:9000").withRegion("eu-west-1"));

    assertEquals("http://127.0.0.1:9000", conf.get("fs.s3a.endpoint"));
    assertEquals("true", conf.get("fs.s3a.path.style.access"));
    assertEquals("false", conf.get("fs.s3a.connection.ssl.enabled"));
    assertEquals("eu-west-1", conf.get("fs.s3a.endpoint.region"));

    Configuration aws = HadoopS3a.configure(new Configuration(false),
        ClientSettings.defaults().withEndpoint("https://s3.eu-west-1.amazonaws.com"));
    assertEquals("false", aws.get("fs.s3a.path.style.access"));
    assertEquals("true", aws.get("fs.s3a.connection.ssl.enabled"));
  }
}
