package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.InfoLines;
import io.github.s3batchspark.testing.LocalS3Server;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job run in a JVM of its own whose log4j configuration is Spark's own default, as on a Spark
 * distribution without a {@code log4j2.properties} (root at INFO): stdout is the command's JSON
 * and nothing else, stderr the job's lines and Spark's warnings only, unless the user asks for a
 * level with {@code spark.s3batch.logLevel}.
 */
class QuietOutputTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String bucket;
  private static String etag;

  @TempDir static Path dir;

  record Outcome(int code, String out, String err) {}

  @BeforeAll
  static void objectsAndManifest() {
    S3Client s3 = SERVER.client();
    bucket = Buckets.create(s3, "quiet");
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      Buckets.put(s3, bucket, "q/" + i, "x");
      csv.append(bucket).append(",q/").append(i).append('\n');
    }
    etag = s3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
  }

  @Test
  void jobRunUnderSparksInfoDefaultsPrintsOneJsonOnStdoutAndNoInfoLinesOnStderr()
      throws Exception {
    Outcome run = runJob(List.of());

    assertEquals(0, run.code(), run.err());
    JsonNode job = onlyJsonDocument(run.out()).get("Job");
    assertEquals("Complete", job.get("Status").asText());
    assertTrue(run.err().contains("Job " + job.get("JobId").asText() + " recorded; if this run "
        + "stops, resume it with s3batch run --job-id " + job.get("JobId").asText()), run.err());
    assertEquals(List.of(), InfoLines.notOurs(run.err()), "Spark at WARN: " + run.err());
    assertTrue(run.err().contains(" INFO RunTasks: "), "ours at INFO: " + run.err());
  }

  @Test
  void askedLogLevelBringsSparksInfoLinesBackOnStderrOnly() throws Exception {
    Outcome run = runJob(List.of("spark.s3batch.logLevel=INFO"));

    assertEquals(0, run.code(), run.err());
    assertEquals("Complete", onlyJsonDocument(run.out()).get("Job").get("Status").asText());
    assertTrue(run.err().lines().anyMatch(l -> l.contains(" INFO SparkContext: ")), run.err());
  }

  @Test
  void unknownLogLevelIsRefusedInOneLineNamingTheSetting() throws Exception {
    Outcome run = runJob(List.of("spark.s3batch.logLevel=LOUD"));

    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    assertEquals(List.of("s3batch: spark.s3batch.logLevel must be a log4j level (ERROR, WARN, "
        + "INFO, DEBUG, TRACE), got 'LOUD'"), run.err().strip().lines().toList());
  }

  /** {@code run} of a three-object tagging job on local Spark, logging as Spark's defaults say. */
  private static Outcome runJob(List<String> properties) throws Exception {
    Path job = Files.createTempFile(dir, "job", ".json");
    Files.writeString(job, """
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "quiet", "Value": "yes"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(bucket, etag));
    List<String> props = new ArrayList<>(properties);
    props.add("log4j2.configurationFile=" + sparkDefaultLogging());
    props.add("spark.master=local[2]");
    Path out = Files.createTempFile(dir, "run", ".out");
    Path err = Files.createTempFile(dir, "run", ".err");
    Process p = ChildRun.start(out, err, props, List.of("run", "--cli-input-json",
        "file://" + job, "--job-store", Files.createTempDirectory(dir, "store").toString(),
        "--endpoint-url", SERVER.endpoint(), "--credentials", "caller"));
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the run did not end within 3 minutes: " + Files.readString(err));
    }
    return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Spark's own default log4j configuration (root at INFO, on stderr), as a file. */
  private static Path sparkDefaultLogging() throws Exception {
    Path file = dir.resolve("log4j2-defaults.properties");
    if (!Files.exists(file)) {
      try (InputStream in = org.apache.spark.SparkConf.class.getClassLoader()
          .getResourceAsStream("org/apache/spark/log4j2-defaults.properties")) {
        Files.copy(in, file);
      }
    }
    return file;
  }

  /** The one JSON document {@code text} holds, failing when there is anything else. */
  private static JsonNode onlyJsonDocument(String text) throws Exception {
    try (JsonParser parser = JSON.createParser(text)) {
      JsonNode node = JSON.readTree(parser);
      assertNull(parser.nextToken(), "nothing after the JSON: " + text);
      return node;
    }
  }
}
