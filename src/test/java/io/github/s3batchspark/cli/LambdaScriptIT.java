package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.BatchCopyHandler;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalLambdaServer;
import io.github.s3batchspark.testing.LocalS3Server;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Lambda handler written for Amazon's service, behind a local Invoke endpoint, run by the
 * {@code scripts/s3batch} process with the shaded jar (whose SDK is relocated).
 */
class LambdaScriptIT {
  private static final Path BASE = Path.of(System.getProperty("project.basedir", "."));

  @Test
  void amazonStyleHandlerRunsUnchangedThroughTheScript() throws Exception {
    LocalS3Server server = LocalS3Server.s3mock();
    S3Client s3 = server.client();
    String bucket = Buckets.create(s3, "lambdascript");
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      Buckets.put(s3, bucket, "videos/clip " + i + ".mp4", "frames " + i);
      csv.append(bucket).append(",videos/clip+").append(i).append(".mp4\n");
    }
    String etag = s3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    Path job = Files.createTempFile("lambda-job", ".json");
    Files.writeString(job, """
        {"AccountId": "123456789012",
         "Operation": {"LambdaInvoke": {
             "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:transcode",
             "InvocationSchemaVersion": "2.0",
             "UserArguments": {"DestinationPrefix": "transcoded/"}}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(bucket, etag));

    try (LocalLambdaServer lambda = new LocalLambdaServer()) {
      lambda.deploy("transcode", new BatchCopyHandler(s3, "unused/"));
      File out = File.createTempFile("lambda-script", ".out");
      File err = File.createTempFile("lambda-script", ".err");
      ProcessBuilder pb = new ProcessBuilder(List.of("scripts/s3batch", "run",
          "--cli-input-json", "file://" + job, "--endpoint-url", server.endpoint(),
          "--credentials", "caller", "--lambda-endpoint-url", lambda.endpoint(),
          "--job-store", Files.createTempDirectory("store").toString()))
          .directory(BASE.toFile()).redirectOutput(out).redirectError(err);
      pb.environment().put("AWS_ACCESS_KEY_ID", "test");
      pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
      pb.environment().put("AWS_REGION", "us-east-1");
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("scripts/s3batch run did not end within 5 minutes");
      }
      String errText = Files.readString(err.toPath(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), errText);
      JsonNode progress = new ObjectMapper().readTree(out).get("Job").get("ProgressSummary");
      assertEquals(5, progress.get("NumberOfTasksSucceeded").asInt(), errText);
    }
    for (int i = 0; i < 5; i++) {
      String copy = "transcoded/videos/clip " + i + ".mp4";
      assertEquals("frames " + i, s3.getObjectAsBytes(b -> b.bucket(bucket).key(copy))
          .asUtf8String());
    }
  }
}
