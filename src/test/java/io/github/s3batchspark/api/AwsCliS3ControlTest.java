package io.github.s3batchspark.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.CsvJobJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI ({@code aws s3control}, as installed on the machine) manages jobs through
 * {@code s3batch serve}'s API, set up as docs/api.md says: {@code --endpoint-url} and
 * {@code HTTP_PROXY} naming the server.
 */
class AwsCliS3ControlTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static LocalApi api;

  /** What one {@code aws} command printed and returned. */
  private record Outcome(int code, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  @BeforeAll
  static void startServer() {
    api = LocalApi.start(dir.resolve("store"));
  }

  @AfterAll
  static void stopServer() {
    api.close();
  }

  private static Outcome aws(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("aws", "s3control"));
    command.addAll(List.of(args));
    command.addAll(List.of("--account-id", LocalApi.ACCOUNT, "--endpoint-url", api.url(),
        "--region", "us-east-1", "--output", "json"));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equalsIgnoreCase("http_proxy")
        || k.equalsIgnoreCase("no_proxy"));
    env.putAll(Map.of("HTTP_PROXY", api.url(), "AWS_ACCESS_KEY_ID", LocalApi.KEY_ID,
        "AWS_SECRET_ACCESS_KEY", LocalApi.SECRET, "AWS_CONFIG_FILE", "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_MAX_ATTEMPTS", "1"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "aws did not end");
    return new Outcome(p.exitValue(), out, err);
  }

  @Test
  void createdJobIsDescribedUpdatedTaggedAndListedByTheAwsCli() throws Exception {
    Path job = dir.resolve("job.json");
    Files.writeString(job, CsvJobJson.of(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"via\", \"Value\": \"aws\"}]}}",
        api.bucket, api.manifestEtag, "r"));

    Outcome created = aws("create-job", "--cli-input-json", "file://" + job);
    assertEquals(0, created.code(), created.err());
    String jobId = created.json().get("JobId").asText();
    Outcome priority = aws("update-job-priority", "--job-id", jobId, "--priority", "5");
    Outcome tagged = aws("put-job-tagging", "--job-id", jobId, "--tags",
        "[{\"Key\": \"owner\", \"Value\": \"cli\"}]");
    Outcome described = aws("describe-job", "--job-id", jobId);
    Outcome tags = aws("get-job-tagging", "--job-id", jobId);
    Outcome firstPage = aws("list-jobs", "--max-results", "1");

    assertEquals(0, priority.code(), priority.err());
    assertEquals(0, tagged.code(), tagged.err());
    assertEquals(0, described.code(), described.err());
    assertEquals(5, described.json().at("/Job/Priority").asInt());
    assertEquals("aws", described.json()
        .at("/Job/Operation/S3PutObjectTagging/TagSet/0/Value").asText());
    assertEquals("cli", tags.json().at("/Tags/0/Value").asText());
    assertEquals(1, firstPage.json().get("Jobs").size(), firstPage.out());
  }

  @Test
  void unknownJobIsReportedAsNotFoundException() throws Exception {
    Outcome o = aws("describe-job", "--job-id", "0f8fad5b-d9cb-469f-a165-70867728950e");

    assertNotEquals(0, o.code());
    assertTrue(o.err().contains("(NotFoundException)"), o.err());
  }
}
