package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code create-job --clone-of}: a new job over an earlier job's tasks (all, failed, never run),
 * from its manifest and report table, recording what it was cloned from.
 */
class JobCloneCliTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();

  @TempDir Path dir;

  @Test
  void aCloneOfTheFailedTasksRunsExactlyThoseAndSaysWhereItCameFrom() throws Exception {
    LocalSpark.session();
    String bucket = Buckets.create(S3, "clone");
    List<String> keys = IntStream.range(0, 30).mapToObj(i -> "c/file " + i).toList();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      if (i % 3 != 0) { // a third missing: their tasks fail 404
        Buckets.put(S3, bucket, keys.get(i), "x");
      }
      csv.append(bucket).append(',').append(keys.get(i).replace(" ", "+")).append('\n');
    }
    String etag = S3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    Path job = dir.resolve("job.json");
    Files.writeString(job, """
        {"AccountId": "123456789012", "Description": "tag them",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "cloned", "Value": "no"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "reports", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(bucket, etag, bucket));
    CliOutcome first = s3batch("run", "--cli-input-json", "file://" + job);
    assertEquals(0, first.code(), first.err());
    String firstId = first.json().at("/Job/JobId").asText();
    assertEquals(10, first.json().at("/Job/ProgressSummary/NumberOfTasksFailed").asLong());
    for (int i = 0; i < keys.size(); i += 3) {
      Buckets.put(S3, bucket, keys.get(i), "now here");
    }

    CliOutcome clone = s3batch("create-job", "--clone-of", firstId, "--tasks", "failed",
        "--cli-input-json", "{\"Priority\": 7}");
    assertEquals(0, clone.code(), clone.err());
    String cloneId = clone.json().get("JobId").asText();
    CliOutcome ran = s3batch("run", "--job-id", cloneId);

    assertEquals(0, ran.code(), ran.err());
    JsonNode cloned = ran.json().get("Job");
    assertEquals(10, cloned.at("/ProgressSummary/TotalNumberOfTasks").asLong());
    assertEquals(10, cloned.at("/ProgressSummary/NumberOfTasksSucceeded").asLong());
    assertEquals(7, cloned.get("Priority").asInt(), "the change given on top");
    assertTrue(cloned.get("Description").asText().contains("Clone of " + firstId),
        cloned.toString());
    CliOutcome tags = s3batch("get-job-tagging", "--job-id", cloneId);
    assertTrue(tags.out().contains("s3batch:clonedFrom") && tags.out().contains(firstId
        + "/failed"), tags.out());
    String manifestArn = cloned.at("/Manifest/Location/ObjectArn").asText();
    String manifest = S3.getObjectAsBytes(b -> b.bucket(bucket)
        .key(manifestArn.substring(("arn:aws:s3:::" + bucket + "/").length()))).asUtf8String();
    TreeSet<String> listed = Arrays.stream(manifest.split("\n"))
        .map(line -> line.split(",")[1].replace("%20", " "))
        .collect(Collectors.toCollection(TreeSet::new));
    TreeSet<String> missingBefore = IntStream.range(0, 30).filter(i -> i % 3 == 0)
        .mapToObj(keys::get).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(missingBefore, listed, "exactly the failed tasks' objects, keys exact");

    CliOutcome all = s3batch("create-job", "--clone-of", firstId);
    assertEquals(0, all.code(), all.err());
    CliOutcome nothingLeft = s3batch("create-job", "--clone-of", firstId, "--tasks",
        "not-run");
    assertEquals(2, nothingLeft.code(), "every task of the first job ran: " + nothingLeft.err());
    assertTrue(nothingLeft.err().contains("nothing to clone"), nothingLeft.err());
  }

  private CliOutcome s3batch(String... args) {
    return CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), args);
  }
}
