package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The command-line verbs that match the API's: job tagging, list-jobs pages, and the
 * {@code --account-id} that {@code aws s3control} scripts pass to every verb.
 */
class JobTaggingAndPagingCliTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static String jobJson;

  @TempDir Path dir;

  @BeforeAll
  static void manifest() {
    S3Client s3 = SERVER.client();
    String bucket = Buckets.create(s3, "cli-tags");
    Buckets.put(s3, bucket, "a.txt", "a");
    String etag = s3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(bucket + ",a.txt\n")).eTag().replace("\"", "");
    jobJson = CsvJobJson.of("{\"S3DeleteObjectTagging\": {}}", bucket, etag, "r");
  }

  private CliOutcome s3batch(String... args) {
    return CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), args);
  }

  private String createJob() throws Exception {
    CliOutcome created = s3batch("create-job", "--cli-input-json", jobJson);
    assertEquals(0, created.code(), created.err());
    return created.json().get("JobId").asText();
  }

  @Test
  void putJobTaggingReplacesTheTagsWhichGetShowsAndDeleteRemoves() throws Exception {
    String jobId = createJob();
    Path input = dir.resolve("tagging.json");
    Files.writeString(input, "{\"AccountId\": \"123456789012\", \"JobId\": \"" + jobId
        + "\", \"Tags\": [{\"Key\": \"from\", \"Value\": \"file\"}]}");

    CliOutcome put = s3batch("put-job-tagging", "--job-id", jobId, "--tags",
        "[{\"Key\": \"team\", \"Value\": \"storage\"}, {\"Key\": \"cost\", \"Value\": \"7\"}]");
    JsonNode afterPut = s3batch("get-job-tagging", "--job-id", jobId).json();
    CliOutcome fromFile = s3batch("put-job-tagging", "--cli-input-json", "file://" + input);
    JsonNode afterFile = s3batch("get-job-tagging", "--job-id", jobId).json();
    CliOutcome deleted = s3batch("delete-job-tagging", "--job-id", jobId);
    JsonNode afterDelete = s3batch("get-job-tagging", "--job-id", jobId).json();

    assertEquals(0, put.code(), put.err());
    assertEquals("[{\"Key\":\"team\",\"Value\":\"storage\"},{\"Key\":\"cost\",\"Value\":\"7\"}]",
        afterPut.get("Tags").toString());
    assertEquals(0, fromFile.code(), fromFile.err());
    assertEquals("file", afterFile.at("/Tags/0/Value").asText());
    assertEquals(1, afterFile.get("Tags").size());
    assertEquals(0, deleted.code(), deleted.err());
    assertEquals(0, afterDelete.get("Tags").size());
  }

  @Test
  void malformedTagIsRefusedNamingItAndTheTagsAreKept() throws Exception {
    String jobId = createJob();
    s3batch("put-job-tagging", "--job-id", jobId, "--tags", "[{\"Key\": \"k\", \"Value\": \"v\"}]");

    CliOutcome o = s3batch("put-job-tagging", "--job-id", jobId, "--tags",
        "[{\"Key\": \"ok\", \"Value\": \"v\"}, {\"Value\": \"no key\"}]");

    assertEquals(2, o.code());
    assertTrue(o.err().contains("Tags[1].Key: required"), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertEquals("k", s3batch("get-job-tagging", "--job-id", jobId).json()
        .at("/Tags/0/Key").asText());
  }

  @Test
  void listJobsPagesWithMaxResultsAndNextTokenCoverEveryJobOnce() throws Exception {
    for (int i = 0; i < 5; i++) {
      createJob();
    }
    List<String> whole = s3batch("list-jobs").json().get("Jobs").findValuesAsText("JobId");
    List<String> paged = new ArrayList<>();
    String token = null;
    do {
      CliOutcome page = token == null ? s3batch("list-jobs", "--max-results", "2")
          : s3batch("list-jobs", "--max-results", "2", "--next-token", token);
      assertEquals(0, page.code(), page.err());
      JsonNode json = page.json();
      assertTrue(json.get("Jobs").size() <= 2);
      paged.addAll(json.get("Jobs").findValuesAsText("JobId"));
      token = json.path("NextToken").asText(null);
    } while (token != null);

    assertEquals(whole, paged);
    assertEquals(whole.size(), new HashSet<>(paged).size());
    CliOutcome bad = s3batch("list-jobs", "--next-token", "bm90LWEtdG9rZW4");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("NextToken"), bad.err());
  }

  @Test
  void jobVerbsRefuseAnAccountIdThatIsNotTheJobs() throws Exception {
    String jobId = createJob();
    List<String[]> verbs = List.of(
        new String[] {"describe-job", "--job-id", jobId},
        new String[] {"get-job-tagging", "--job-id", jobId},
        new String[] {"update-job-priority", "--job-id", jobId, "--priority", "9"},
        new String[] {"create-job", "--cli-input-json", jobJson});

    for (String[] verb : verbs) {
      List<String> args = new ArrayList<>(List.of(verb));
      args.addAll(List.of("--account-id", "210987654321"));
      CliOutcome o = s3batch(args.toArray(String[]::new));
      assertEquals(2, o.code(), verb[0] + ": " + o.err());
      assertTrue(o.err().contains("210987654321"), o.err());
      assertEquals(1, o.err().strip().lines().count(), o.err());
    }
    CliOutcome own = s3batch("describe-job", "--job-id", jobId, "--account-id", "123456789012");
    assertEquals(0, own.code(), own.err());
    assertEquals(1, s3batch("describe-job", "--job-id", jobId).json().at("/Job/Priority")
        .asInt(), "the refused update changed nothing");
  }
}
