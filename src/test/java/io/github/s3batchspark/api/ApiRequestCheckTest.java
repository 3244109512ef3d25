package io.github.s3batchspark.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.Owner;
import io.github.s3batchspark.job.spec.S3Tag;
import io.github.s3batchspark.testing.CsvJobJson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the API lets in: requests signed with one of its keys, for its account, whatever host
 * name they were sent to; everything else is refused as S3 Control refuses it, and changes
 * nothing.
 */
class ApiRequestCheckTest {
  private static final String JOBS = "/v20180820/jobs";
  private static final String TAGGING_XML = "<PutJobTaggingRequest xmlns=\"http://awss3control"
      + ".amazonaws.com/doc/2018-08-20/\"><Tags><member><Key>%s</Key><Value>%s</Value></member>"
      + "</Tags></PutJobTaggingRequest>";

  @TempDir static Path dir;
  private static LocalApi api;
  private static String host;

  @BeforeAll
  static void startServer() {
    api = LocalApi.start(dir.resolve("store"));
    host = "123456789012.localhost:" + api.server.port();
  }

  @AfterAll
  static void stopServer() {
    api.close();
  }

  private static RawRequest.Response signedGet(String hostHeader, String path, String account,
      boolean absoluteForm) throws Exception {
    return RawRequest.get(hostHeader, path, account)
        .signed(LocalApi.KEY_ID, LocalApi.SECRET, Clock.systemUTC())
        .send(api.server.port(), absoluteForm);
  }

  private static JobRecord jobOf(String account) {
    String json = CsvJobJson.of("{\"S3DeleteObjectTagging\": {}}", api.bucket,
        api.manifestEtag, "r").replace("123456789012", account);
    return api.store.create(JobSpecParser.parse(json));
  }

  @Test
  void signedRequestIsAnsweredWhateverHostAndTargetFormItCameWith() throws Exception {
    for (String hostHeader : List.of(host, "jobs.example.internal:" + api.server.port())) {
      for (boolean absolute : List.of(true, false)) {
        RawRequest.Response r = signedGet(hostHeader, JOBS + "?maxResults=5",
            LocalApi.ACCOUNT, absolute);
        assertEquals(200, r.status(), hostHeader + " absolute=" + absolute + ": " + r.body());
        assertTrue(r.body().contains("<ListJobsResult"), r.body());
      }
    }
  }

  @Test
  void unsignedRequestIsRefusedWithAccessDenied() throws Exception {
    RawRequest.Response r = RawRequest.get(host, JOBS, LocalApi.ACCOUNT)
        .send(api.server.port(), true);

    assertEquals(403, r.status());
    assertEquals("AccessDenied", r.errorCode(), r.body());
    assertTrue(r.body().contains("<RequestId>"), r.body());
  }

  @Test
  void requestSignedWithAnotherSecretIsRefusedWithSignatureDoesNotMatch() throws Exception {
    RawRequest.Response r = RawRequest.get(host, JOBS, LocalApi.ACCOUNT)
        .signed(LocalApi.KEY_ID, "not-the-secret", Clock.systemUTC())
        .send(api.server.port(), true);

    assertEquals(403, r.status());
    assertEquals("SignatureDoesNotMatch", r.errorCode(), r.body());
  }

  @Test
  void requestSignedWithAnUnknownKeyIsRefusedWithInvalidAccessKeyId() throws Exception {
    RawRequest.Response r = RawRequest.get(host, JOBS, LocalApi.ACCOUNT)
        .signed("AKIAUNKNOWNKEY000000", LocalApi.SECRET, Clock.systemUTC())
        .send(api.server.port(), true);

    assertEquals(403, r.status());
    assertEquals("InvalidAccessKeyId", r.errorCode(), r.body());
  }

  @Test
  void requestSignedTwentyMinutesAgoIsRefusedAsTooSkewed() throws Exception {
    Clock earlier = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
    RawRequest.Response r = RawRequest.get(host, JOBS, LocalApi.ACCOUNT)
        .signed(LocalApi.KEY_ID, LocalApi.SECRET, earlier)
        .send(api.server.port(), true);

    assertEquals(403, r.status());
    assertEquals("RequestTimeTooSkewed", r.errorCode(), r.body());
  }

  @Test
  void signedQueryChangedAfterSigningIsRefused() throws Exception {
    RawRequest signed = RawRequest.get(host, JOBS + "?maxResults=5", LocalApi.ACCOUNT)
        .signed(LocalApi.KEY_ID, LocalApi.SECRET, Clock.systemUTC());
    RawRequest changed = new RawRequest(signed.method(), signed.host(), JOBS + "?maxResults=6",
        signed.headers(), signed.body());

    RawRequest.Response r = changed.send(api.server.port(), true);

    assertEquals(403, r.status());
    assertEquals("SignatureDoesNotMatch", r.errorCode(), r.body());
  }

  @Test
  void bodyChangedAfterSigningIsRefusedAndTheTagsAreKept() throws Exception {
    JobRecord job = api.store.update(jobOf(LocalApi.ACCOUNT).jobId(),
        Owner.USER, j -> j.withTags(List.of(new S3Tag("a", "1"))));
    RawRequest signed = RawRequest.get(host, JOBS + "/" + job.jobId() + "/tagging",
            LocalApi.ACCOUNT)
        .withBody("PUT", TAGGING_XML.formatted("b", "2"))
        .signed(LocalApi.KEY_ID, LocalApi.SECRET, Clock.systemUTC());
    RawRequest swapped = signed.withBody("PUT", TAGGING_XML.formatted("c", "3"));

    RawRequest.Response refused = swapped.send(api.server.port(), true);
    RawRequest.Response taken = signed.send(api.server.port(), true);

    assertEquals(400, refused.status());
    assertEquals("XAmzContentSHA256Mismatch", refused.errorCode(), refused.body());
    assertEquals(200, taken.status(), taken.body());
    assertEquals(List.of(new S3Tag("b", "2")), api.store.get(job.jobId()).tags());
  }

  @Test
  void requestForAnotherAccountIsRefused() throws Exception {
    RawRequest.Response r = signedGet(host, JOBS, "210987654321", true);

    assertEquals(403, r.status());
    assertEquals("AccessDenied", r.errorCode(), r.body());
    assertTrue(r.body().contains("210987654321"), r.body());
  }

  @Test
  void jobOfAnotherAccountInTheSameStoreIsNotFoundNorListed() throws Exception {
    JobRecord other = jobOf("210987654321");

    RawRequest.Response described = signedGet(host, JOBS + "/" + other.jobId(),
        LocalApi.ACCOUNT, true);
    RawRequest.Response listed = signedGet(host, JOBS, LocalApi.ACCOUNT, true);

    assertEquals(404, described.status());
    assertEquals("NotFoundException", described.errorCode(), described.body());
    assertEquals(200, listed.status());
    assertFalse(listed.body().contains(other.jobId()), listed.body());
  }

  @Test
  void bodyWithADoctypeIsRefusedAsMalformedXml() throws Exception {
    JobRecord job = jobOf(LocalApi.ACCOUNT);
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + TAGGING_XML.formatted("k", "&x;");
    RawRequest.Response r = RawRequest.get(host, JOBS + "/" + job.jobId() + "/tagging",
            LocalApi.ACCOUNT).withBody("PUT", xxe)
        .signed(LocalApi.KEY_ID, LocalApi.SECRET, Clock.systemUTC())
        .send(api.server.port(), true);

    assertEquals(400, r.status());
    assertEquals("MalformedXML", r.errorCode(), r.body());
    assertTrue(api.store.get(job.jobId()).tags().isEmpty());
  }
}
