package io.github.s3batchspark.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.DescribeJobResponse;
import software.amazon.awssdk.services.s3control.model.JobManifestFieldName;
import software.amazon.awssdk.services.s3control.model.JobManifestFormat;
import software.amazon.awssdk.services.s3control.model.JobReportFormat;
import software.amazon.awssdk.services.s3control.model.JobReportScope;
import software.amazon.awssdk.services.s3control.model.JobStatus;
import software.amazon.awssdk.services.s3control.model.ListJobsResponse;
import software.amazon.awssdk.services.s3control.model.NotFoundException;
import software.amazon.awssdk.services.s3control.model.RequestedJobStatus;
import software.amazon.awssdk.services.s3control.model.S3Tag;

/**
 * The AWS SDK for Java v2's own S3ControlClient manages jobs through {@code s3batch serve}'s
 * API, set up as docs/api.md says: the server as endpoint (by a name) and as HTTP proxy.
 */
class JavaSdkS3ControlTest {
  @TempDir static Path dir;
  private static LocalApi api;
  private static S3ControlClient s3control;

  @BeforeAll
  static void startServer() {
    api = LocalApi.start(dir.resolve("store"));
    // The SDK's endpoint rules put the account id in front of the host, so the endpoint is a
    // name (an IP address with a prefix is no host name) and the server is also the proxy.
    s3control = S3ControlClient.builder()
        .endpointOverride(URI.create("http://localhost:" + api.server.port()))
        .httpClientBuilder(ApacheHttpClient.builder().proxyConfiguration(
            ProxyConfiguration.builder().endpoint(api.server.url())
                .useSystemPropertyValues(false).useEnvironmentVariableValues(false).build()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalApi.KEY_ID, LocalApi.SECRET)))
        .overrideConfiguration(c -> c.putAdvancedOption(
            SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  @AfterAll
  static void stopServer() {
    s3control.close();
    api.close();
  }

  private String createJob(String description) {
    return s3control.createJob(b -> b.accountId(LocalApi.ACCOUNT)
        .clientRequestToken(description)
        .description(description)
        .confirmationRequired(true)
        .priority(7)
        .roleArn("arn:aws:iam::123456789012:role/batch")
        .operation(o -> o.s3PutObjectTagging(t -> t.tagSet(S3Tag.builder().key("k").value("v")
            .build())))
        .manifest(m -> m.spec(s -> s.format(JobManifestFormat.S3_BATCH_OPERATIONS_CSV_20180820)
                .fields(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY))
            .location(l -> l.objectArn("arn:aws:s3:::" + api.bucket + "/manifest.csv")
                .eTag(api.manifestEtag)))
        .report(r -> r.bucket("arn:aws:s3:::" + api.bucket).prefix("r").enabled(true)
            .format(JobReportFormat.REPORT_CSV_20180820).reportScope(JobReportScope.ALL_TASKS))
        .tags(S3Tag.builder().key("made-by").value("sdk").build()))
        .jobId();
  }

  @Test
  void createdJobIsDescribedWithEveryMemberTheSdkReads() {
    String jobId = createJob("java sdk");

    DescribeJobResponse described = s3control.describeJob(b -> b.accountId(LocalApi.ACCOUNT)
        .jobId(jobId));

    assertEquals(JobStatus.SUSPENDED, described.job().status());
    assertEquals(7, described.job().priority());
    assertEquals("java sdk", described.job().description());
    assertEquals("v", described.job().operation().s3PutObjectTagging().tagSet().get(0).value());
    assertEquals(List.of(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY),
        described.job().manifest().spec().fields());
    assertEquals(JobReportScope.ALL_TASKS, described.job().report().reportScope());
    assertEquals(api.store.get(jobId).creationTime(), described.job().creationTime());
    assertEquals(0L, described.job().progressSummary().totalNumberOfTasks());
  }

  @Test
  void updatesAndTagsReachTheStoredJob() {
    String jobId = createJob("updated by the sdk");

    s3control.updateJobPriority(b -> b.accountId(LocalApi.ACCOUNT).jobId(jobId).priority(99));
    s3control.updateJobStatus(b -> b.accountId(LocalApi.ACCOUNT).jobId(jobId)
        .requestedJobStatus(RequestedJobStatus.READY));
    s3control.putJobTagging(b -> b.accountId(LocalApi.ACCOUNT).jobId(jobId)
        .tags(S3Tag.builder().key("stage").value("two").build()));

    assertEquals(99, api.store.get(jobId).priority());
    assertEquals("Ready", api.store.get(jobId).status().awsName());
    assertEquals("two", s3control.getJobTagging(b -> b.accountId(LocalApi.ACCOUNT)
        .jobId(jobId)).tags().get(0).value());
    s3control.deleteJobTagging(b -> b.accountId(LocalApi.ACCOUNT).jobId(jobId));
    assertTrue(s3control.getJobTagging(b -> b.accountId(LocalApi.ACCOUNT).jobId(jobId))
        .tags().isEmpty());
  }

  @Test
  void listJobsPagesWithTheSdksPaginator() {
    for (int i = 0; i < 3; i++) {
      createJob("paged " + i);
    }
    List<String> paged = new ArrayList<>();
    int pages = 0;
    for (ListJobsResponse page : s3control.listJobsPaginator(b -> b.accountId(LocalApi.ACCOUNT)
        .maxResults(2))) {
      page.jobs().forEach(j -> paged.add(j.jobId()));
      pages++;
    }

    List<String> whole = s3control.listJobs(b -> b.accountId(LocalApi.ACCOUNT)).jobs().stream()
        .map(j -> j.jobId()).toList();
    assertEquals(whole, paged);
    assertEquals((whole.size() + 1) / 2, pages);
  }

  @Test
  void unknownJobThrowsTheSdksNotFoundException() {
    NotFoundException e = assertThrows(NotFoundException.class,
        () -> s3control.describeJob(b -> b.accountId(LocalApi.ACCOUNT)
            .jobId("0f8fad5b-d9cb-469f-a165-70867728950e")));

    assertEquals(404, e.statusCode());
    assertEquals("NotFoundException", e.awsErrorDetails().errorCode());
  }
}
