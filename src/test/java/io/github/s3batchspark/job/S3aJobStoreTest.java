package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.S3aOptions;
import io.github.s3batchspark.execution.SigningCredentials;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The job store on {@code s3a://} against a real S3 server: moto_server, which refuses a PUT with
 * {@code If-None-Match: *} over an existing object with 412, as S3 does. Neither moto nor S3Mock
 * (4.12) makes that check and the write one atomic step, as S3 does: on a threaded server two
 * PUTs racing for one key can both succeed (half of 30 four-way races on S3Mock in a probe, one
 * run in five of the race test on moto). So this test runs its own moto serving one request at
 * a time, where the check and the write cannot interleave.
 */
class S3aJobStoreTest extends JobStoreContract {
  private static LocalS3Server server;
  private static String bucket;

  @BeforeAll
  static void startServer() {
    server = LocalS3Server.serialMoto();
    bucket = Buckets.create(server.client(), "jobstore");
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  /** What the command line does: s3a pointed at our store, credentials from the SDK's chain. */
  private static Configuration s3aConfiguration() {
    Configuration conf = new Configuration();
    S3aOptions.configure(conf, server.clientSettings(), bucket);
    return conf;
  }

  @Override
  JobStore newStore() {
    return HadoopJobStore.open("s3a://" + bucket + "/stores/" + UUID.randomUUID(),
        server.clientSettings(), s3aConfiguration());
  }

  @Override
  JobStore reopen(JobStore store) {
    return HadoopJobStore.open(store.location(), server.clientSettings(), s3aConfiguration());
  }

  @Test
  void recordIsAnObjectUnderTheStorePrefix() {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());
    String prefix = store.location().substring(("s3a://" + bucket + "/").length());

    S3Client s3 = server.client();
    String body = s3.getObjectAsBytes(b -> b.bucket(bucket)
        .key(prefix + "/jobs/" + job.jobId() + "/record/000000001.json")).asUtf8String();

    assertTrue(body.contains("\"JobId\" : \"" + job.jobId() + "\""), body);
  }

  /**
   * A job whose requests are signed as its role (the default) keeps its records with the
   * caller's own credentials: the store is the user's, and no role is bound when it is opened.
   */
  @Test
  void storeOpenedWithRoleSigningSettingsWritesRecordsAsTheCaller() {
    ClientSettings roleSigning = server.clientSettings()
        .withCredentials(SigningCredentials.ROLE);
    JobStore store = HadoopJobStore.open("s3a://" + bucket + "/stores/" + UUID.randomUUID(),
        roleSigning, s3aConfiguration());

    JobRecord job = store.create(JobFixtures.tagging());

    assertEquals(job.jobId(), store.get(job.jobId()).jobId());
  }

  @Test
  void s3aSettingsFollowTheClientSettingsForTheStoreBucketOnly() {
    Configuration conf = new Configuration(false);
    S3aOptions.configureFor(conf, ClientSettings.defaults().withEndpoint("http://127.0.0.1:9000")
        .withRegion("eu-west-1"), "s3a://jobs-bucket/store");

    assertEquals("http://127.0.0.1:9000", conf.get("fs.s3a.bucket.jobs-bucket.endpoint"));
    assertEquals("true", conf.get("fs.s3a.bucket.jobs-bucket.path.style.access"));
    assertEquals("false", conf.get("fs.s3a.bucket.jobs-bucket.connection.ssl.enabled"));
    assertEquals("eu-west-1", conf.get("fs.s3a.bucket.jobs-bucket.endpoint.region"));
    assertEquals(null, conf.get("fs.s3a.endpoint"));

    Configuration aws = new Configuration(false);
    S3aOptions.configureFor(aws, ClientSettings.defaults()
        .withEndpoint("https://s3.eu-west-1.amazonaws.com"), "s3a://jobs-bucket/store");
    assertEquals("false", aws.get("fs.s3a.bucket.jobs-bucket.path.style.access"));
    assertEquals("true", aws.get("fs.s3a.bucket.jobs-bucket.connection.ssl.enabled"));

    Configuration local = new Configuration(false);
    S3aOptions.configureFor(local, ClientSettings.defaults(), "/tmp/jobs");
    assertEquals(null, local.get("fs.s3a.bucket.jobs.endpoint"));
  }
}
