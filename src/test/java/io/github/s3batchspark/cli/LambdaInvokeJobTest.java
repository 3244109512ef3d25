package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.BatchCopyHandler;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalLambdaServer;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A LambdaInvoke job through {@code s3batch run}, in process: a handler written for Amazon's
 * service, unchanged, behind a local Invoke endpoint, copying real objects on S3Mock.
 */
class LambdaInvokeJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static LocalLambdaServer lambda;

  @TempDir Path dir;

  @BeforeAll
  static void endpoints() {
    LocalSpark.session();
    lambda = new LocalLambdaServer();
    lambda.deploy("transcode", new BatchCopyHandler(S3, "unused/"));
  }

  @AfterAll
  static void stop() {
    lambda.close();
  }

  @Test
  void amazonStyleHandlerRunsUnchangedThroughS3BatchRun() throws Exception {
    String bucket = Buckets.create(S3, "lambdajob");
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      Buckets.put(S3, bucket, "videos/clip " + i + ".mp4", "frames " + i);
      csv.append(bucket).append(",videos/clip+").append(i).append(".mp4\n");
    }
    csv.append(bucket).append(",videos/deleted.mp4\n");
    String etag = S3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    Path job = dir.resolve("job.json");
    Files.writeString(job, """
        {"AccountId": "123456789012",
         "Operation": {"LambdaInvoke": {
             "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:transcode:$LATEST",
             "InvocationSchemaVersion": "2.0",
             "UserArguments": {"DestinationPrefix": "transcoded/"}}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "r", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(bucket, etag, bucket));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = S3Batch.run(new String[] {"run", "--cli-input-json", "file://" + job,
        "--job-store", dir.resolve("store").toString(), "--endpoint-url", SERVER.endpoint(),
        "--lambda-endpoint-url", lambda.endpoint(), "--in-flight", "16", "--partitions", "2"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    String errText = err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, errText);
    JsonNode progress = JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("Job")
        .get("ProgressSummary");
    assertEquals(12, progress.get("NumberOfTasksSucceeded").asInt(), errText);
    assertEquals(1, progress.get("NumberOfTasksFailed").asInt(), errText);
    for (int i = 0; i < 12; i++) {
      String copy = "transcoded/videos/clip " + i + ".mp4";
      assertEquals("frames " + i,
          S3.getObjectAsBytes(b -> b.bucket(bucket).key(copy)).asUtf8String());
    }
    List<String> report = reportLines(bucket);
    assertEquals(13, report.size(), report.toString());
    assertTrue(report.stream().anyMatch(l -> l.contains("succeeded,200,,Copied videos/clip 3.mp4 "
        + "to transcoded/videos/clip 3.mp4")), report.toString());
    assertTrue(report.stream().anyMatch(l -> l.contains("deleted.mp4,,failed,200,PermanentFailure,"
        + "NoSuchKey: videos/deleted.mp4")), report.toString());
  }

  private static List<String> reportLines(String bucket) {
    return S3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("r/")).contents().stream()
        .map(S3Object::key).filter(k -> k.endsWith(".csv"))
        .flatMap(k -> S3.getObjectAsBytes(b -> b.bucket(bucket).key(k)).asUtf8String().lines())
        .toList();
  }
}
