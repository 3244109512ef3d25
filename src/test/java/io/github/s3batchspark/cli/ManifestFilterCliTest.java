package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvManifest;
import io.github.s3batchspark.testing.Canary;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.InventoryFixture.Entry;
import io.github.s3batchspark.testing.InventoryFixture.Format;
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

/**
 * Issue 10, "a job spec is data, never code", at the command line: a {@code ManifestFilter.Where}
 * that would call Java, read the environment or a file is refused by create-job, run and
 * run --dry-run with exit 2 and one line, nothing is recorded and the canary is never called.
 */
class ManifestFilterCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static final String TAGGING =
      "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"via\", \"Value\": \"filter\"}]}}";
  private static String bucket;
  private static String manifestEtag;
  private static InventoryFixture.Report inventory;

  @TempDir Path dir;


  @BeforeAll
  static void objectsManifestAndInventory() {
    LocalSpark.session();
    bucket = Buckets.create(S3, "filtercli");
    manifestEtag = CsvManifest.putDocs(S3, bucket, 20);
    String destination = Buckets.create(S3, "filtercli-inv");
    inventory = InventoryFixture.write(S3, LocalSpark.session(), destination, Format.CSV, false,
        List.of(Entry.current(bucket, "docs/file 1.txt", 10, "e1", "GLACIER"),
            Entry.current(bucket, "docs/file 2.txt", 20, "e2", "STANDARD")), 1);
  }

  @Test
  void filterCallingJavaIsRefusedByCreateJobNamingTheFunctionAndNothingIsRecorded()
      throws Exception {
    int calls = Canary.calls();
    for (String where : Canary.attacks()) {
      CliOutcome o = s3batch("create-job", "--cli-input-json", csvJob(where));

      String function = where.substring(0, where.indexOf('('));
      assertRefusedInOneLine(o, "the function " + function + " is not allowed (it runs Java");
    }
    assertEquals(calls, Canary.calls());
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void filterReadingTheSecretFromTheEnvironmentIsRefusedByCreateJobRunAndDryRun()
      throws Exception {
    // one character per row would leak the secret into the completion report
    String where = "substring(reflect('java.lang.System', 'getenv', 'AWS_SECRET_ACCESS_KEY'),"
        + " 1, 1) = 'A'";
    String job = csvJob(where);

    for (CliOutcome o : List.of(s3batch("create-job", "--cli-input-json", job),
        s3batch("run", "--cli-input-json", job),
        s3batch("run", "--dry-run", "--cli-input-json", job))) {
      assertRefusedInOneLine(o, "the function reflect is not allowed");
      assertEquals("", o.out());
    }
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());
    assertTrue(S3.getObjectTagging(b -> b.bucket(bucket).key("docs/file 1.txt")).tagSet()
        .isEmpty(), "no task ran");
  }

  @Test
  void filterCallingJavaIsRefusedByRunAndDryRunAndTheCanaryIsNeverCalled() throws Exception {
    int calls = Canary.calls();
    for (String where : Canary.attacks()) {
      String job = csvJob(where);
      CliOutcome dry = s3batch("run", "--dry-run", "--cli-input-json", job);
      CliOutcome run = s3batch("run", "--cli-input-json", job);

      String function = where.substring(0, where.indexOf('('));
      assertRefusedInOneLine(dry, "the function " + function + " is not allowed");
      assertRefusedInOneLine(run, "the function " + function + " is not allowed");
    }
    assertEquals(calls, Canary.calls());
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void filterThatWouldReadAFileIsRefusedNamingTheSubquery() throws Exception {
    for (String where : List.of("key IN (SELECT value FROM text.`/etc/passwd`)",
        "EXISTS (SELECT * FROM csv.`/etc/passwd` WHERE _c0 LIKE 'root%')",
        "(SELECT count(*) FROM text.`/etc/passwd`) > 0")) {
      CliOutcome create = s3batch("create-job", "--cli-input-json", csvJob(where));
      CliOutcome dry = s3batch("run", "--dry-run", "--cli-input-json", csvJob(where));

      assertRefusedInOneLine(create, "a subquery");
      assertRefusedInOneLine(dry, "a subquery");
      assertTrue(!create.err().contains("root:"), create.err());
    }
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());
  }

  @Test
  void dryRunOfAnAllowedFilterPicksTheSameRowsAsBefore() throws Exception {
    CliOutcome o = s3batch("run", "--dry-run", "--cli-input-json",
        csvJob("Key LIKE 'docs/file 1%' AND NOT endswith(key, '0.txt')"));

    assertEquals(0, o.code(), o.err());
    List<String> keys = new ArrayList<>();
    for (String line : o.out().lines().toList()) {
      keys.add(JSON.readTree(line).get("Key").asText());
    }
    assertEquals(List.of("docs/file 1.txt", "docs/file 11.txt", "docs/file 12.txt",
        "docs/file 13.txt", "docs/file 14.txt", "docs/file 15.txt", "docs/file 16.txt",
        "docs/file 17.txt", "docs/file 18.txt", "docs/file 19.txt"),
        keys.stream().sorted().toList());
  }

  @Test
  void describeJobAndListJobsShowTheFilterOfASuspendedJob() throws Exception {
    String where = "key LIKE 'docs/%'";
    ObjectNode job = csvJobNode(where);
    job.put("ConfirmationRequired", true);
    CliOutcome created = s3batch("create-job", "--cli-input-json", write(job));
    assertEquals(0, created.code(), created.err());
    String jobId = created.json().get("JobId").asText();

    JsonNode described = s3batch("describe-job", "--job-id", jobId).json().get("Job");
    JsonNode listed = s3batch("list-jobs").json().get("Jobs").get(0);

    assertEquals("Suspended", described.get("Status").asText());
    assertEquals(where, described.get("ManifestFilter").get("Where").asText());
    assertEquals(where, listed.get("ManifestFilter").get("Where").asText());
  }

  @Test
  void createJobChecksTheFilterAgainstTheManifestsOwnColumns() throws Exception {
    CliOutcome csvVersion = s3batch("create-job", "--cli-input-json",
        csvJob("version_id IS NULL"));
    assertRefusedInOneLine(csvVersion, "the column version_id is not in the manifest");
    assertTrue(csvVersion.err().contains("The manifest columns are [bucket, key]"),
        csvVersion.err());

    CliOutcome inventoryLatest = s3batch("create-job", "--cli-input-json",
        inventoryJob("is_latest"));
    assertRefusedInOneLine(inventoryLatest, "the column is_latest is not in the manifest");
    assertTrue(inventoryLatest.err().contains("The manifest columns are [bucket, key,"
        + " version_id, etag, size, last_modified_date, storage_class]"), inventoryLatest.err());
    assertEquals(0, s3batch("list-jobs").json().get("Jobs").size());

    CliOutcome bothSpellings = s3batch("create-job", "--cli-input-json",
        inventoryJob("StorageClass = 'GLACIER' AND e_tag IS NOT NULL"
            + " AND last_modified_date > DATE '2020-01-01' AND LastModifiedDate IS NOT NULL"));
    assertEquals(0, bothSpellings.code(), bothSpellings.err());
    assertEquals(1, s3batch("list-jobs").json().get("Jobs").size());
  }

  private static void assertRefusedInOneLine(CliOutcome o, String named) {
    assertEquals(2, o.code(), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().startsWith("s3batch: ManifestFilter.Where \""), o.err());
    assertTrue(o.err().contains(named), o.err());
    assertTrue(!o.err().contains("\tat ") && !o.err().contains("Exception in"), o.err());
  }

  private CliOutcome s3batch(String... args) {
    return CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), args);
  }

  private ObjectNode csvJobNode(String where) throws Exception {
    ObjectNode job = (ObjectNode) JSON.readTree(CsvJobJson.of(TAGGING, bucket, manifestEtag,
        "reports"));
    job.putObject("ManifestFilter").put("Where", where);
    return job;
  }

  private String csvJob(String where) throws Exception {
    return write(csvJobNode(where));
  }

  private String inventoryJob(String where) throws Exception {
    ObjectNode job = csvJobNode(where);
    ObjectNode manifest = job.putObject("Manifest");
    manifest.putObject("Spec").put("Format", "S3InventoryReport_CSV_20161130");
    manifest.putObject("Location")
        .put("ObjectArn", "arn:aws:s3:::" + inventory.manifest().bucket() + "/"
            + inventory.manifest().key())
        .put("ETag", inventory.manifest().unquotedEtag());
    return write(job);
  }

  private String write(ObjectNode job) throws Exception {
    Path file = Files.createTempFile(dir, "job", ".json");
    Files.writeString(file, JSON.writeValueAsString(job));
    return "file://" + file;
  }
}
