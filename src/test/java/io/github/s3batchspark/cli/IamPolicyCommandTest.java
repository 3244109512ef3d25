package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.testing.CsvJobJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s3batch iam-policy}: stdout is the policy document and nothing else, so that it can be
 * piped to {@code aws iam put-role-policy --policy-document file:///dev/stdin}; a bad job is
 * one line and exit 2, as create-job refuses it.
 */
class IamPolicyCommandTest {
  private static final String TAGGING =
      "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"k\", \"Value\": \"v\"}]}}";

  @TempDir Path dir;

  @Test
  void printsOnlyThePolicyDocumentWithTheOperationsActionsOnTheNamedBucket() throws Exception {
    Path job = Files.writeString(dir.resolve("job.json"),
        CsvJobJson.of(TAGGING, "jobs", "etag", "reports"));

    CliOutcome printed = CliOutcome.runAsTyped("iam-policy", "--cli-input-json",
        "file://" + job, "--objects-bucket", "photos");

    assertEquals(0, printed.code(), printed.err());
    assertEquals("", printed.err());
    JsonNode policy = printed.json();
    assertEquals("2012-10-17", policy.get("Version").asText());
    JsonNode tagging = null;
    for (JsonNode statement : policy.get("Statement")) {
      assertEquals("Allow", statement.get("Effect").asText(), statement::toString);
      if (statement.get("Action").toString().contains("s3:PutObjectTagging")) {
        tagging = statement;
      }
    }
    assertTrue(tagging != null, policy::toString);
    assertEquals("[\"arn:aws:s3:::photos/*\"]", tagging.get("Resource").toString());
  }

  @Test
  void jobTheOperationRefusesIsOneLineAndExitTwo() throws Exception {
    Path job = Files.writeString(dir.resolve("job.json"), CsvJobJson.of(
        "{\"JavaFunction\": {\"ClassName\": \"com.example.NoSuchFunction\"}}",
        "jobs", "etag", "reports"));

    CliOutcome refused = CliOutcome.runAsTyped("iam-policy", "--cli-input-json",
        "file://" + job);

    assertEquals(2, refused.code(), refused.err());
    assertEquals("", refused.out());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().startsWith("s3batch: ")
        && refused.err().contains("com.example.NoSuchFunction"), refused.err());
  }

  @Test
  void missingInputOrAJobOnS3IsRefusedNamingTheFlag() {
    CliOutcome missing = CliOutcome.runAsTyped("iam-policy");
    CliOutcome onS3 = CliOutcome.runAsTyped("iam-policy", "--cli-input-json",
        "s3://jobs/job.json");

    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("--cli-input-json"), missing.err());
    assertEquals(2, onS3.code(), onS3.err());
    assertTrue(onS3.err().startsWith("s3batch: --cli-input-json s3://jobs/job.json: "),
        onS3.err());
    assertEquals("", missing.out() + onS3.out());
  }
}
