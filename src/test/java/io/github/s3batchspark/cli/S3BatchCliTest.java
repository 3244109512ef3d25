package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvManifest;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The command line as a user types it, in process, against S3Mock. */
class S3BatchCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static String bucket;
  private static String manifestEtag;

  @TempDir Path dir;


  @BeforeAll
  static void objectsAndManifest() {
    LocalSpark.session();
    bucket = Buckets.create(S3, "cli");
    manifestEtag = CsvManifest.putDocs(S3, bucket, 20);
  }

  private CliOutcome s3batch(String... args) {
    return List.of(args).contains("--help") || args.length == 0 ? CliOutcome.runAsTyped(args)
        : CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), args);
  }

  private String jobFile(String extra) throws Exception {
    String json = """
        {"AccountId": "123456789012", %s
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "via", "Value": "cli"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "r", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 3, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(extra, bucket, manifestEtag, bucket);
    Path file = Files.createTempFile(dir, "job", ".json");
    Files.writeString(file, json);
    return "file://" + file;
  }

  @Test
  void helpOnEveryVerbPrintsItsOptionsAndExitsZero() {
    for (String verb : List.of("create-job", "run", "describe-job", "list-jobs",
        "update-job-status", "update-job-priority", "get-job-tagging", "put-job-tagging",
        "delete-job-tagging", "serve")) {
      CliOutcome o = s3batch(verb, "--help");
      assertEquals(0, o.code(), verb);
      assertTrue(o.out().contains("--job-store"), verb + ": " + o.out());
      assertTrue(o.out().contains("--endpoint-url"), verb + ": " + o.out());
    }
    CliOutcome top = s3batch("--help");
    assertEquals(0, top.code());
    assertTrue(top.out().contains("create-job | run"), top.out());
  }

  @Test
  void generateInventoryDocumentsEndpointAndRegionAsTheJobVerbsDo() {
    List<String> jobVerbs = awsOptionLines(s3batch("run", "--help").out());
    List<String> inventory = awsOptionLines(s3batch("generate-inventory", "--help").out());

    assertEquals(2, jobVerbs.size(), String.valueOf(jobVerbs));
    assertEquals(jobVerbs, inventory);
    assertEquals(jobVerbs, awsOptionLines(s3batch("create-job", "--help").out()));
  }

  /**
   * The --help entries of --endpoint-url and --region, their whitespace dropped: args4j wraps
   * each verb's text at a column of its own, even inside words.
   */
  private static List<String> awsOptionLines(String help) {
    List<String> options = new java.util.ArrayList<>();
    boolean inside = false;
    for (String line : help.lines().toList()) {
      String text = line.strip();
      if (text.startsWith("-")) {
        inside = text.startsWith("--endpoint-url ") || text.startsWith("--region ");
        if (inside) {
          options.add("");
        }
      }
      if (inside) {
        options.set(options.size() - 1, options.get(options.size() - 1)
            + text.replaceAll("\\s+", ""));
      }
    }
    return options;
  }

  @Test
  void createJobPrintsTheJobIdAndARepeatedTokenReturnsTheSameJob() throws Exception {
    String file = jobFile("\"ClientRequestToken\": \"same-token\",");
    CliOutcome first = s3batch("create-job", "--cli-input-json", file);
    CliOutcome again = s3batch("create-job", "--cli-input-json", file);

    assertEquals(0, first.code(), first.err());
    String jobId = first.json().get("JobId").asText();
    assertEquals(jobId, again.json().get("JobId").asText());

    JsonNode job = s3batch("describe-job", "--job-id", jobId).json().get("Job");
    assertEquals("New", job.get("Status").asText());
    assertEquals(3, job.get("Priority").asInt());
    assertEquals("S3BatchOperations_CSV_20180820",
        job.get("Manifest").get("Spec").get("Format").asText());
    assertTrue(job.get("Operation").has("S3PutObjectTagging"));
    assertEquals(1, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void runCreatesAndRunsTheJobAndPrintsTheSummary() throws Exception {
    CliOutcome o = s3batch("run", "--cli-input-json", jobFile(""), "--in-flight", "8");

    assertEquals(0, o.code(), o.err());
    JsonNode job = o.json().get("Job");
    assertEquals("Complete", job.get("Status").asText());
    assertEquals(20, job.get("ProgressSummary").get("NumberOfTasksSucceeded").asInt());
    assertTrue(o.err().contains("20 tasks, 20 succeeded, 0 failed"), o.err());
    assertTrue(o.err().contains("objects/s"), o.err());
    assertEquals("cli", S3.getObjectTagging(b -> b.bucket(bucket).key("docs/file 7.txt"))
        .tagSet().get(0).value());
    JsonNode listed = s3batch("list-jobs", "--job-statuses", "Complete").json().get("Jobs");
    assertEquals(job.get("JobId").asText(), listed.get(0).get("JobId").asText());
    assertEquals(0, s3batch("list-jobs", "--job-statuses", "Active").json().get("Jobs").size());
  }

  @Test
  void dryRunPrintsWhatEachTaskWouldDoAndChangesNothing() throws Exception {
    Path file = Path.of(jobFile("").substring("file://".length()));
    Files.writeString(file, Files.readString(file).replace(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"via\", \"Value\": \"cli\"}]}}",
        "{\"S3DeleteObject\": {}}"));

    CliOutcome o = s3batch("run", "--dry-run", "--cli-input-json", "file://" + file);

    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().lines().toList();
    assertEquals(20, lines.size(), o.out());
    JsonNode first = JSON.readTree(lines.get(0));
    assertTrue(first.get("WouldDo").asText().startsWith("Would delete s3://" + bucket + "/docs/"),
        first.toString());
    assertTrue(o.err().contains("Dry run of S3DeleteObject: 20 tasks"), o.err());
    for (int i = 0; i < 20; i++) {
      String key = "docs/file " + i + ".txt";
      S3.headObject(b -> b.bucket(bucket).key(key)); // still there
    }
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void confirmationRequiredJobRunsOnlyAfterUpdateJobStatusReady() throws Exception {
    CliOutcome waiting = s3batch("run", "--cli-input-json",
        jobFile("\"ConfirmationRequired\": true,"));
    String jobId = waiting.json().get("Job").get("JobId").asText();
    assertEquals("Suspended", waiting.json().get("Job").get("Status").asText());
    assertTrue(waiting.err().contains("--requested-job-status Ready"), waiting.err());

    CliOutcome stillWaiting = s3batch("run", "--job-id", jobId);
    assertEquals("Suspended", stillWaiting.json().get("Job").get("Status").asText());
    assertTrue(stillWaiting.err().contains("--requested-job-status Ready"), stillWaiting.err());

    assertEquals(0, s3batch("update-job-status", "--job-id", jobId,
        "--requested-job-status", "Ready").code());
    CliOutcome ran = s3batch("run", "--job-id", jobId);
    assertEquals(0, ran.code(), ran.err());
    assertEquals("Complete", ran.json().get("Job").get("Status").asText());
  }

  @Test
  void invalidJobIsRefusedWithOneLineNamingTheFieldAndNothingIsRecorded() throws Exception {
    String bad = jobFile("").replace("file://", "");
    Files.writeString(Path.of(bad), Files.readString(Path.of(bad))
        .replace("{\"Key\": \"via\", \"Value\": \"cli\"}", "{\"Value\": \"cli\"}"));

    CliOutcome o = s3batch("create-job", "--cli-input-json", "file://" + bad);

    assertEquals(2, o.code());
    assertEquals("s3batch: Operation.S3PutObjectTagging.TagSet[0].Key: required",
        o.err().strip());
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void malformedJsonUnknownVerbAndMissingOptionsExitTwoWithAReason() {
    CliOutcome malformed = s3batch("create-job", "--cli-input-json", "{\"AccountId\": ");
    assertEquals(2, malformed.code());
    assertTrue(malformed.err().startsWith("s3batch: job JSON is malformed"), malformed.err());

    CliOutcome unknown = s3batch("frobnicate");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("frobnicate"), unknown.err());

    CliOutcome missing = s3batch("describe-job");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("--job-id"), missing.err());
  }

  @Test
  void describeOfAWellFormedIdNotInTheStoreExitsTwoNamingTheJobAndTheStore() {
    CliOutcome o = s3batch("describe-job", "--job-id", "00000000-0000-0000-0000-000000000000");

    assertEquals(2, o.code());
    assertTrue(o.err().startsWith("s3batch: job 00000000-0000-0000-0000-000000000000 not found"
        + " in job store file:" + dir.resolve("store")), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
  }

  @Test
  void unpairedSurrogateInTheJobJsonIsRefusedNamingTheFieldAndNothingIsRecorded()
      throws Exception {
    String bad = jobFile("").replace("file://", "");
    Files.writeString(Path.of(bad), Files.readString(Path.of(bad))
        .replace("\"Value\": \"cli\"", "\"Value\": \"cli\\uD800\""));

    CliOutcome o = s3batch("create-job", "--cli-input-json", "file://" + bad);

    assertEquals(2, o.code(), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().startsWith("s3batch: Operation.S3PutObjectTagging.TagSet[0].Value:"
        + " contains an unpaired UTF-16 surrogate"), o.err());
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void runOfAnEndedJobIsRefusedWithOneLineSayingWhatToDo() throws Exception {
    String jobId = s3batch("create-job", "--cli-input-json", jobFile("")).json().get("JobId")
        .asText();
    assertEquals(0, s3batch("update-job-status", "--job-id", jobId,
        "--requested-job-status", "Cancelled").code());

    CliOutcome o = s3batch("run", "--job-id", jobId);

    assertEquals(2, o.code(), o.err());
    assertEquals("s3batch: Job " + jobId + " is Cancelled and cannot run again; create a new job",
        o.err().strip());
  }

  @Test
  void jobIdThatIsNoIdOfOursExitsTwoBeforeTheStoreIsOpened() {
    for (String verb : List.of("describe-job", "update-job-priority", "update-job-status",
        "run")) {
      for (String bad : List.of("../../etc", "/", "", "x".repeat(300), "caf\u00e9\nline")) {
        List<String> args = new ArrayList<>(List.of(verb, "--job-id", bad));
        if (verb.equals("update-job-priority")) {
          args.addAll(List.of("--priority", "5"));
        } else if (verb.equals("update-job-status")) {
          args.addAll(List.of("--requested-job-status", "Cancelled"));
        }

        CliOutcome o = s3batch(args.toArray(String[]::new));

        assertEquals(2, o.code(), verb + " " + bad + ": " + o.err());
        assertTrue(o.err().startsWith("s3batch: --job-id \""), o.err());
        assertTrue(o.err().contains("is not a job id: expected 36 characters"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
      }
    }
    assertFalse(Files.exists(dir.resolve("store")), "no store was opened or made");
  }

  @Test
  void corruptRecordIsSkippedByListJobsWithAWarningAndNamedByDescribeJob() throws Exception {
    String good = s3batch("create-job", "--cli-input-json", jobFile("")).json()
        .get("JobId").asText();
    String bad = s3batch("create-job", "--cli-input-json", jobFile("")).json()
        .get("JobId").asText();
    Path badFile = dir.resolve("store/jobs/" + bad + "/record/000000001.json");
    Files.writeString(badFile, "{\"FormatVersion\": 1, \"Job\": ");

    CliOutcome list = s3batch("list-jobs");
    CliOutcome describe = s3batch("describe-job", "--job-id", bad);

    assertEquals(0, list.code(), list.err());
    assertEquals(1, list.json().get("Jobs").size());
    assertEquals(good, list.json().get("Jobs").get(0).get("JobId").asText());
    assertTrue(list.err().startsWith("s3batch: warning: skipped job " + bad + ": job record "
        + "file:" + badFile), list.err());
    assertEquals(1, list.err().strip().lines().count(), list.err());
    assertEquals(1, describe.code());
    assertTrue(describe.err().startsWith("s3batch: job record file:" + badFile
        + " is corrupt ("), describe.err());
    assertEquals(1, describe.err().strip().lines().count(), describe.err());
  }

  @Test
  void reusedClientRequestTokenWithAnotherSpecExitsTwo() throws Exception {
    String first = s3batch("create-job", "--cli-input-json",
        jobFile("\"ClientRequestToken\": \"reused\",")).json().get("JobId").asText();

    CliOutcome again = s3batch("create-job", "--cli-input-json",
        jobFile("\"ClientRequestToken\": \"reused\", \"Description\": \"another\","));

    assertEquals(2, again.code());
    assertEquals("s3batch: ClientRequestToken \"reused\" was already used for job " + first
        + " with a different job spec: use a new token (or leave it out) to create another job",
        again.err().strip());
    assertEquals(1, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void priorityAndCancelAreWrittenAsUserChanges() throws Exception {
    String jobId = s3batch("create-job", "--cli-input-json", jobFile("")).json()
        .get("JobId").asText();

    CliOutcome priority = s3batch("update-job-priority", "--job-id", jobId, "--priority", "42");
    CliOutcome cancel = s3batch("update-job-status", "--job-id", jobId,
        "--requested-job-status", "Cancelled", "--status-update-reason", "not needed");

    assertEquals(0, priority.code(), priority.err());
    assertEquals(0, cancel.code(), cancel.err());
    JsonNode job = s3batch("describe-job", "--job-id", jobId).json().get("Job");
    assertEquals(42, job.get("Priority").asInt());
    assertEquals("Cancelled", job.get("Status").asText());
    assertEquals("not needed", job.get("StatusUpdateReason").asText());
    assertTrue(Files.exists(dir.resolve("store/jobs/" + jobId + "/record/000000003.json")));
  }

  @Test
  void jobWhoseReportBucketDoesNotExistIsRefusedByCreateJobAndNothingIsRecorded()
      throws Exception {
    String job = jobFile("").replace("file://", "");
    Files.writeString(Path.of(job), Files.readString(Path.of(job))
        .replace("\"Report\": {\"Bucket\": \"arn:aws:s3:::" + bucket + "\"",
            "\"Report\": {\"Bucket\": \"arn:aws:s3:::no-such-report-bucket\""));

    CliOutcome o = s3batch("create-job", "--cli-input-json", "file://" + job);

    assertEquals(2, o.code(), o.err());
    assertEquals("s3batch: Report.Bucket arn:aws:s3:::no-such-report-bucket: the bucket does not"
        + " exist; create it or name another one", o.err().strip());
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void priorityOfAnEndedJobIsRefusedAndKept() throws Exception {
    String jobId = s3batch("create-job", "--cli-input-json", jobFile("")).json().get("JobId")
        .asText();
    assertEquals(0, s3batch("update-job-status", "--job-id", jobId,
        "--requested-job-status", "Cancelled").code());

    CliOutcome o = s3batch("update-job-priority", "--job-id", jobId, "--priority", "99");

    assertEquals(2, o.code(), o.err());
    assertEquals("s3batch: Job " + jobId + " is Cancelled: the priority of an ended job cannot"
        + " change", o.err().strip());
    assertEquals(3, s3batch("describe-job", "--job-id", jobId).json().get("Job")
        .get("Priority").asInt());
  }
}
