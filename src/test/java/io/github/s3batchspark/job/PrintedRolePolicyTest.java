package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.cli.S3Batch;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.SigningCredentials;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import io.github.s3batchspark.testing.MotoIam;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The policy that {@code s3batch iam-policy} prints is enough for the job, as IAM enforces it:
 * a role with exactly that policy runs a tagging job (manifest in one bucket, objects in
 * another, report beside the manifest) to every task succeeded, and the same role without the
 * operation's action fails every task with 403 AccessDenied.
 *
 * <p>moto_server on a server of this class's own, with IAM enforced while the jobs run
 * ({@link MotoIam}); the caller may only assume roles, so every request to S3 is the role's.
 */
class PrintedRolePolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRUST = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": "arn:aws:iam::123456789012:user/submitter"}}]}
      """;
  private static final String MAY_ASSUME_ROLES = """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
      """;
  private static final List<String> KEYS = List.of("a.txt", "b c.txt", "d.txt");

  private static LocalS3Server moto;
  private static S3Client s3;
  private static MotoIam iam;
  private static MotoIam.Keys submitter;
  private static String jobs;
  private static String objects;
  private static String manifestEtag;

  @TempDir Path dir;

  @BeforeAll
  static void objectsAManifestAndASubmitterWhoMayOnlyAssumeRoles() {
    LocalSpark.session();
    moto = LocalS3Server.ownMoto();
    s3 = moto.client();
    jobs = Buckets.create(s3, "jobs");
    objects = Buckets.create(s3, "objects");
    KEYS.forEach(k -> Buckets.put(s3, objects, k, "content of " + k));
    String csv = KEYS.stream().map(k -> objects + "," + k.replace(" ", "+") + "\n")
        .reduce("", String::concat);
    manifestEtag = Buckets.put(s3, jobs, "manifest.csv", csv).replace("\"", "");
    iam = new MotoIam(moto);
    submitter = iam.user("submitter", MAY_ASSUME_ROLES);
  }

  @AfterAll
  static void stopTheServer() {
    iam.close();
    moto.stop();
  }

  @Test
  void roleWithExactlyThePrintedPolicyRunsEveryTaskToSuccess() throws Exception {
    String job = taggingJob("printed", "role/printed");
    iam.role("printed", TRUST, asMotoNamesIt(printedPolicy(job)));

    JobRecord done = runAsSubmitter(job);

    assertEquals(JobStatus.COMPLETE, done.status(), () -> done.failureReasons().toString());
    assertEquals(KEYS.size(), done.progress().numberOfTasksSucceeded(),
        () -> ReportLines.of(s3, jobs, done).toString());
    for (String key : KEYS) {
      assertEquals("printed", s3.getObjectTagging(b -> b.bucket(objects).key(key)).tagSet()
          .get(0).value(), key);
    }
    assertEquals(KEYS.size(), ReportLines.of(s3, jobs, done).size());
  }

  @Test
  void printedPolicyWithoutPutObjectTaggingFailsEveryTaskWith403() throws Exception {
    String job = taggingJob("untagged", "role/untagged");
    iam.role("untagged", TRUST,
        asMotoNamesIt(without("s3:PutObjectTagging", printedPolicy(job))));

    JobRecord done = runAsSubmitter(job);

    assertEquals(JobStatus.COMPLETE, done.status(), () -> done.failureReasons().toString());
    assertEquals(KEYS.size(), done.progress().numberOfTasksFailed());
    List<String> lines = ReportLines.of(s3, jobs, done);
    assertEquals(KEYS.size(), lines.size(), lines::toString);
    assertTrue(lines.stream().allMatch(l -> l.contains(",failed,403,AccessDenied,")),
        lines::toString);
    for (String key : KEYS) {
      assertTrue(s3.getObjectTagging(b -> b.bucket(objects).key(key)).tagSet().stream()
          .noneMatch(t -> t.value().equals("untagged")), key);
    }
  }

  /**
   * IAM takes the policy of every example job (conf/examples: one per operation) as it is:
   * moto checks a role policy's grammar, unique Sids, action names and ARNs as IAM does.
   */
  @Test
  void policyOfEveryExampleJobIsAcceptedByIam() throws Exception {
    List<Path> examples;
    try (var files = Files.list(Path.of(System.getProperty("project.basedir", "."), "conf",
        "examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(examples.size() >= SupportedOperations.NAMES.size(), examples::toString);
    for (Path example : examples) {
      String name = example.getFileName().toString().replace(".json", "");
      String policy = printedPolicy(Files.readString(example));
      assertTrue(iam.role("example-" + name, TRUST, policy).endsWith("role/example-" + name),
          name);
    }
  }

  /** Tags every object with {@code stage=<mark>}, reporting under {@code reports/}. */
  private static String taggingJob(String mark, String role) {
    return CsvJobJson.of("{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"stage\", "
            + "\"Value\": \"" + mark + "\"}]}}", jobs, manifestEtag, "reports")
        .replace("role/batch", role);
  }

  /** What {@code s3batch iam-policy --cli-input-json file://job.json} prints, as a user runs it. */
  private String printedPolicy(String job) throws Exception {
    Path file = Files.writeString(dir.resolve("job.json"), job);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = S3Batch.run(new String[] {"iam-policy", "--cli-input-json", "file://" + file,
        "--objects-bucket", objects}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The policy with moto's one difference of names: AWS authorises HeadBucket as
   * s3:ListBucket, moto as s3:HeadBucket (an action IAM does not have). So wherever the policy
   * allows s3:ListBucket, moto's name is added beside it, on the same resources.
   */
  private static String asMotoNamesIt(String policy) throws Exception {
    JsonNode document = JSON.readTree(policy);
    for (JsonNode statement : document.get("Statement")) {
      ArrayNode actions = (ArrayNode) statement.get("Action");
      if (actions.toString().contains("\"s3:ListBucket\"")) {
        actions.add("s3:HeadBucket");
      }
    }
    return JSON.writeValueAsString(document);
  }

  private static String without(String action, String policy) throws Exception {
    JsonNode document = JSON.readTree(policy);
    for (Iterator<JsonNode> statements = document.get("Statement").iterator();
        statements.hasNext(); ) {
      ArrayNode actions = (ArrayNode) statements.next().get("Action");
      for (int i = actions.size() - 1; i >= 0; i--) {
        if (actions.get(i).asText().equals(action)) {
          actions.remove(i);
        }
      }
      if (actions.isEmpty()) {
        statements.remove();
      }
    }
    assertTrue(!document.toString().contains("\"" + action + "\""), document::toString);
    return JSON.writeValueAsString((ObjectNode) document);
  }

  private JobRecord runAsSubmitter(String json) {
    JobStore store = HadoopJobStore.open(dir.resolve("store").toString(), new Configuration(),
        null);
    ClientSettings asRole = moto.clientSettings().withCredentials(SigningCredentials.ROLE)
        .withStsEndpoint(moto.endpoint());
    iam.enforce();
    try {
      return MotoIam.signedAs(submitter, () -> {
        JobRecord job = JobRunner.create(store, JobSpecParser.parse(json), asRole);
        return new JobRunner(LocalSpark.session(), store, RunSettings.defaults()
            .withClients(asRole).withPartitions(2)).run(job.jobId());
      });
    } finally {
      iam.close();
    }
  }
}
