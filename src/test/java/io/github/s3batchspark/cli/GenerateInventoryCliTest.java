package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code generate-inventory} as a user types it on moto_server: the report it writes is the
 * manifest of a job that then runs on exactly the bucket's objects, in each format; bad input is
 * one line, exit 2, and nothing written.
 */
class GenerateInventoryCliTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static String source;

  @TempDir Path dir;

  @BeforeAll
  static void bucketToInventory() {
    LocalSpark.session();
    source = Buckets.create(S3, "geninv-src");
    for (String key : List.of("x/plain", "x/with space+plus", "y/caf\u00e9 \u65e5\u672c",
        "y/100%", "z/deep/er/one", "z/deep/er/two", "top")) {
      S3.putObject(b -> b.bucket(source).key(key), RequestBody.fromString(key));
    }
  }

  private static CliOutcome generate(String... args) {
    List<String> all = new ArrayList<>(List.of("generate-inventory", "--endpoint-url",
        SERVER.endpoint()));
    all.addAll(List.of(args));
    return CliOutcome.runAsTyped(all.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"CSV", "ORC", "Parquet"})
  void aJobRunsOnAGeneratedInventoryOfEachFormat(String format) throws Exception {
    String destination = Buckets.create(S3, "geninv-dst");
    CliOutcome generated = generate("--bucket", source, "--destination-bucket", destination,
        "--format", format, "--optional-fields", "Size,ETag");
    assertEquals(0, generated.code(), generated.err());
    JsonNode manifest = generated.json().get("Manifest");
    assertEquals(7, generated.json().get("Objects").asLong());
    String tag = "inventoried-" + format;

    CliOutcome ran = CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), "run",
        "--cli-input-json", """
            {"AccountId": "123456789012",
             "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "%s", "Value": "yes"}]}},
             "Manifest": %s,
             "Report": {"Enabled": false},
             "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
            """.formatted(tag, manifest));

    assertEquals(0, ran.code(), ran.err());
    JsonNode job = ran.json().get("Job");
    assertEquals("Complete", job.get("Status").asText(), job.toString());
    assertEquals(7, job.at("/ProgressSummary/NumberOfTasksSucceeded").asLong());
    Set<String> all = S3.listObjectsV2Paginator(b -> b.bucket(source)).contents().stream()
        .map(S3Object::key).collect(Collectors.toCollection(TreeSet::new));
    Set<String> tagged = all.stream().filter(k -> S3.getObjectTagging(b -> b.bucket(source)
        .key(k)).tagSet().stream().anyMatch(t -> t.key().equals(tag)))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(all, tagged);
  }

  @Test
  void badInputIsOneLineExitTwoAndWritesNothing() {
    String destination = Buckets.create(S3, "geninv-bad");
    List<List<String>> cases = List.of(
        List.of("--optional-fields", "Size,Colour"),
        List.of("--optional-fields", "ObjectAccessControlList"),
        List.of("--optional-fields", "IntelligentTieringAccessTier"),
        List.of("--format", "Avro"),
        List.of("--included-object-versions", "Some"),
        List.of("--bucket", "geninv-no-such-bucket"),
        List.of("--destination-bucket", "geninv-no-such-destination"));
    List<String> said = List.of("Colour", "ObjectAccessControlList",
        "IntelligentTieringAccessTier", "Avro", "Some", "geninv-no-such-bucket",
        "geninv-no-such-destination");
    for (int i = 0; i < cases.size(); i++) {
      List<String> args = new ArrayList<>(List.of("--bucket", source, "--destination-bucket",
          destination));
      List<String> bad = cases.get(i);
      int at = args.indexOf(bad.get(0));
      if (at >= 0) {
        args.set(at + 1, bad.get(1));
      } else {
        args.addAll(bad);
      }

      CliOutcome outcome = generate(args.toArray(String[]::new));

      assertEquals(2, outcome.code(), bad + ": " + outcome.err());
      assertEquals("", outcome.out(), bad.toString());
      assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
      assertTrue(outcome.err().contains(said.get(i)), outcome.err());
      assertFalse(outcome.err().contains("\tat "), outcome.err());
    }
    assertEquals(List.of(), S3.listObjectsV2(b -> b.bucket(destination)).contents(),
        "nothing written");
  }
}
