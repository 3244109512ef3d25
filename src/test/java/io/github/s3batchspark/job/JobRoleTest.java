package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.cli.S3Batch;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.SigningCredentials;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import io.github.s3batchspark.testing.MotoIam;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job signs its requests to objects as its {@code RoleArn}, assumed through STS with the
 * caller's credentials, as Amazon's service does.
 *
 * <p>moto_server, on a server of this class's own: its STS hands out session keys (ASIA...),
 * and its IAM, once enforced ({@link MotoIam}), checks that the caller may call sts:AssumeRole,
 * that the role's trust policy names the caller, and what the role's policies allow.
 */
class JobRoleTest {
  private static final String ACCOUNT = "123456789012";
  /** The role of {@link CsvJobJson}'s jobs; moto's account is 123456789012 too. */
  private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/batch";
  private static final String NO_TAGGING_ROLE =
      "arn:aws:iam::" + ACCOUNT + ":role/batch-without-tagging";
  private static final String OTHERS_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/batch-of-others";
  /** moto compares the principal with the caller's ARN as it is: the users are named. */
  private static final String TRUST = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": ["arn:aws:iam::123456789012:user/may-assume",
                              "arn:aws:iam::123456789012:user/may-not-assume"]}}]}
      """;
  private static final String TRUST_OTHERS = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": "arn:aws:iam::123456789012:user/someone-else"}}]}
      """;
  private static final String ALL_OF_S3 = """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
      """;
  private static final String ALL_OF_S3_BUT_TAGGING = """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:PutObjectTagging", "Resource": "*"}]}
      """;
  private static final String MAY_ASSUME_ROLES = """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
      """;
  /** Everything on S3, nothing on STS: such a caller may not assume the job's role. */
  private static final String MAY_NOT_ASSUME_ROLES = ALL_OF_S3;
  private static final Pattern KEY_ID = Pattern.compile("Credential=([^/]+)/");
  private static final List<String> KEYS = List.of("a.txt", "b c.txt", "d.txt");

  private static LocalS3Server moto;
  private static S3Client s3;
  private static MotoIam iam;
  private static MotoIam.Keys mayAssume;
  private static MotoIam.Keys mayNotAssume;
  private static String bucket;
  private static String manifestEtag;

  @TempDir Path storeDir;

  @BeforeAll
  static void objectsRolesAndCallers() {
    LocalSpark.session(); // before the CLI's own getOrCreate, so that every test shares it
    moto = LocalS3Server.ownMoto();
    s3 = moto.client();
    bucket = Buckets.create(s3, "role");
    KEYS.forEach(k -> Buckets.put(s3, bucket, k, "content of " + k));
    String csv = KEYS.stream().map(k -> bucket + "," + k.replace(" ", "+") + "\n")
        .reduce("", String::concat);
    manifestEtag = Buckets.put(s3, bucket, "manifest.csv", csv).replace("\"", "");
    iam = new MotoIam(moto);
    iam.role("batch", TRUST, ALL_OF_S3);
    iam.role("batch-without-tagging", TRUST, ALL_OF_S3_BUT_TAGGING);
    iam.role("batch-of-others", TRUST_OTHERS, ALL_OF_S3);
    mayAssume = iam.user("may-assume", MAY_ASSUME_ROLES);
    mayNotAssume = iam.user("may-not-assume", MAY_NOT_ASSUME_ROLES);
  }

  @AfterAll
  static void stopTheServer() {
    iam.close();
    moto.stop();
  }

  @Test
  void everyObjectRequestIsSignedWithTheRolesSessionKeysNeverTheCallers() {
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(moto)) {
      JobRecord done = run(tagging(ROLE, "signed"), asRole(proxy.clientSettings()));

      assertEquals(JobStatus.COMPLETE, done.status(), () -> done.failureReasons().toString());
      assertEquals(KEYS.size(), done.progress().numberOfTasksSucceeded());
      for (String key : KEYS) {
        assertEquals("signed", s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet()
            .get(0).value(), key);
      }
      List<ForwardingS3Proxy.Request> seen = proxy.requests();
      assertTrue(seen.stream().anyMatch(r -> r.path().endsWith("/manifest.csv")), "manifest");
      assertTrue(seen.stream().anyMatch(r -> r.query() != null && r.query().contains("tagging")),
          "tagging");
      assertTrue(seen.stream().anyMatch(r -> r.method().equals("PUT")
          && r.path().contains("/signed/")), "report");
      for (ForwardingS3Proxy.Request r : seen) {
        String keyId = keyId(r);
        assertTrue(keyId.startsWith("ASIA"), () -> r.method() + " " + r.path()
            + " was signed by " + keyId + ", not by the role's session");
        assertFalse(keyId.equals("test"), "the caller's key signed " + r.path());
      }
    }
  }

  @Test
  void roleWhoseTrustPolicyRefusesTheCallerFailsTheJobBeforeAnyTaskNamingRoleAndStsAnswer() {
    JobRecord done = enforced(mayAssume,
        () -> run(tagging(OTHERS_ROLE, "refused"), asRole(moto.clientSettings())));

    assertFailedBeforeAnyTask(done, OTHERS_ROLE, "refused");
  }

  @Test
  void roleTheCallerMayNotAssumeFailsTheJobBeforeAnyTaskNamingRoleAndStsAnswer() {
    JobRecord done = enforced(mayNotAssume,
        () -> run(tagging(ROLE, "not-allowed"), asRole(moto.clientSettings())));

    assertFailedBeforeAnyTask(done, ROLE, "not-allowed");
  }

  private static void assertFailedBeforeAnyTask(JobRecord done, String role, String report) {
    assertEquals(JobStatus.FAILED, done.status());
    assertEquals(0, done.progress().totalNumberOfTasks());
    assertEquals(1, done.failureReasons().size(), () -> done.failureReasons().toString());
    JobFailure failure = done.failureReasons().get(0);
    assertEquals("AssumeRoleFailed", failure.failureCode());
    assertTrue(failure.failureReason().contains("RoleArn " + role + " "),
        failure.failureReason());
    assertTrue(failure.failureReason().contains("AccessDenied"), failure.failureReason());
    assertNotTaggedBy(report);
    assertTrue(s3.listObjectsV2(b -> b.bucket(bucket).prefix(report + "/")).contents().isEmpty(),
        "no report");
  }

  @Test
  void runOfARoleTheCallerMayNotAssumeExitsOneWithOneLineNamingTheRole() throws Exception {
    Path job = Files.writeString(storeDir.resolve("job.json"), tagging(ROLE, "cli"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = enforced(mayNotAssume, () -> S3Batch.run(new String[] {"run",
        "--cli-input-json", "file://" + job, "--endpoint-url", moto.endpoint(),
        "--credentials", "role", "--sts-endpoint-url", moto.endpoint(),
        "--job-store", storeDir.resolve("store").toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)));

    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, exit, stderr);
    assertTrue(stderr.lines().anyMatch(l -> l.startsWith("Failure: AssumeRoleFailed: RoleArn "
        + ROLE) && l.contains("AccessDenied")), stderr);
    assertFalse(stderr.contains("\tat "), "no stack trace: " + stderr);
  }

  @Test
  void roleWithoutTheOperationsPermissionFailsEveryTaskWithAccessDeniedAndCompletes() {
    JobRecord done = enforced(mayAssume,
        () -> run(tagging(NO_TAGGING_ROLE, "reports"), asRole(moto.clientSettings())));

    assertEquals(JobStatus.COMPLETE, done.status(), () -> done.failureReasons().toString());
    assertEquals(KEYS.size(), done.progress().numberOfTasksFailed());
    List<String> lines = ReportLines.of(s3, bucket, done);
    assertEquals(KEYS.size(), lines.size(), lines::toString);
    assertTrue(lines.stream().allMatch(l -> l.contains(",failed,403,AccessDenied,")),
        lines::toString);
    assertNotTaggedBy("reports");
  }

  private static ClientSettings asRole(ClientSettings settings) {
    return settings.withCredentials(SigningCredentials.ROLE).withStsEndpoint(moto.endpoint());
  }

  /** Tags every object with {@code stage=<reportPrefix>}: each test's own mark. */
  private static String tagging(String roleArn, String reportPrefix) {
    return CsvJobJson.of("{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"stage\", "
            + "\"Value\": \"" + reportPrefix + "\"}]}}", bucket, manifestEtag, reportPrefix)
        .replace(ROLE, roleArn);
  }

  private static void assertNotTaggedBy(String reportPrefix) {
    for (String key : KEYS) {
      assertTrue(s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().stream()
          .noneMatch(t -> t.value().equals(reportPrefix)), key);
    }
  }

  private JobRecord run(String json, ClientSettings settings) {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(json));
    return new JobRunner(LocalSpark.session(), store, RunSettings.defaults()
        .withClients(settings).withPartitions(2)).run(job.jobId());
  }

  /** {@code work} with IAM enforced and {@code caller}'s keys as the SDK's default credentials. */
  private static <T> T enforced(MotoIam.Keys caller, java.util.function.Supplier<T> work) {
    iam.enforce();
    try {
      return MotoIam.signedAs(caller, work);
    } finally {
      iam.close();
    }
  }

  private static String keyId(ForwardingS3Proxy.Request r) {
    String authorization = r.header("Authorization");
    assertTrue(authorization != null, () -> r.method() + " " + r.path() + " was not signed");
    Matcher m = KEY_ID.matcher(authorization);
    assertTrue(m.find(), authorization);
    return m.group(1);
  }
}
