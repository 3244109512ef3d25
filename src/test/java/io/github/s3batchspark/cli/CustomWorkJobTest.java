package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.function.FunctionInput;
import io.github.s3batchspark.function.FunctionResult;
import io.github.s3batchspark.function.ObjectFunction;
import io.github.s3batchspark.testing.BatchCopyHandler;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalLambdaServer;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Custom per-object work as whole jobs through {@code s3batch run}, in process, on S3Mock: a
 * Lambda handler written for Amazon's service, unchanged, behind a local Invoke endpoint; and
 * the built-in thumbnail function on the executors.
 */
class CustomWorkJobTest {
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
    Files.writeString(job, CsvJobJson.of("""
        {"LambdaInvoke": {
            "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:transcode:$LATEST",
            "InvocationSchemaVersion": "2.0",
            "UserArguments": {"DestinationPrefix": "transcoded/"}}}""", bucket, etag, "r"));

    CliOutcome o = s3batch("run", "--cli-input-json", "file://" + job,
        "--lambda-endpoint-url", lambda.endpoint(), "--in-flight", "16", "--partitions", "2");

    String errText = o.err();
    assertEquals(0, o.code(), errText);
    JsonNode progress = JSON.readTree(o.out()).get("Job").get("ProgressSummary");
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

  @Test
  void thumbnailJobWritesRealResizedImagesWithoutLambda() throws Exception {
    String bucket = Buckets.create(S3, "thumbjob");
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      String key = "uploads/photo" + i + ".png";
      S3.putObject(b -> b.bucket(bucket).key(key),
          RequestBody.fromBytes(png.toByteArray()));
      csv.append(bucket).append(",uploads/photo").append(i).append(".png\n");
    }
    Path job = jobFile(bucket, csv.toString(), """
        {"JavaFunction": {"ClassName": "ImageThumbnails", "TimeoutSeconds": 120,
                          "UserArguments": {"Sizes": "160,32", "TargetPrefix": "resized/"}}}
        """);

    CliOutcome o = s3batch("run", "--cli-input-json", "file://" + job, "--partitions", "2");

    assertEquals(0, o.code(), o.err());
    assertTrue(o.err().contains("4 tasks, 4 succeeded, 0 failed"), o.err());
    for (int i = 0; i < 4; i++) {
      String key = "resized/160/uploads/photo" + i + ".png";
      byte[] bytes = S3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
      BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(bytes));
      assertEquals(List.of(160, 120), List.of(thumbnail.getWidth(), thumbnail.getHeight()), key);
    }
  }

  /** Not an ObjectFunction: a job naming it must be refused. */
  public static final class NotAFunction {}

  /** An ObjectFunction without the public no-argument constructor a job needs. */
  public static final class NeedsAnArgument implements ObjectFunction {
    public NeedsAnArgument(String preset) {}

    @Override
    public FunctionResult apply(FunctionInput in) {
      return FunctionResult.succeeded("never built");
    }
  }

  @Test
  void javaFunctionJobWhoseClassCannotRunIsRefusedWithExitTwoAndNothingIsRecorded()
      throws Exception {
    String bucket = Buckets.create(S3, "nofn");
    Buckets.put(S3, bucket, "a.txt", "a");
    Map<String, String> expected = Map.of(
        "com.example.Transcoder", "is not a class on the classpath; ship the jar that holds it "
            + "with spark-submit --jars",
        NotAFunction.class.getName(), "does not implement " + ObjectFunction.class.getName(),
        NeedsAnArgument.class.getName(), "has no public no-argument constructor");

    for (Map.Entry<String, String> e : expected.entrySet()) {
      Path job = jobFile(bucket, bucket + ",a.txt\n",
          "{\"JavaFunction\": {\"ClassName\": \"" + e.getKey() + "\"}}");
      for (String verb : List.of("run", "create-job")) {
        CliOutcome o = s3batch(verb, "--cli-input-json", "file://" + job);

        assertEquals(2, o.code(), verb + " " + e.getKey() + ": " + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("s3batch: Operation.JavaFunction.ClassName: \""
            + e.getKey() + "\" " + e.getValue()), o.err());
        assertEquals("", o.out());
      }
    }
    JsonNode listed = JSON.readTree(s3batch("list-jobs").out());
    assertEquals(0, listed.get("Jobs").size(), listed.toString());
    assertEquals("a", S3.getObjectAsBytes(r -> r.bucket(bucket).key("a.txt")).asUtf8String());
    assertEquals(List.of(), reportLines(bucket));
  }

  /** The classes below whose static initialiser has run in this JVM, by simple name. */
  static final Set<String> INITIALISED = ConcurrentHashMap.newKeySet();

  /** A function that records when its class is initialised (first run of any of its code). */
  public static final class RecordsItsInitialisation implements ObjectFunction {
    static {
      INITIALISED.add("RecordsItsInitialisation");
    }

    @Override
    public FunctionResult apply(FunctionInput in) {
      return FunctionResult.succeeded("ran on " + in.key());
    }
  }

  /** Any class on the classpath, not a function, with code in its static initialiser. */
  public static final class NotAFunctionButRunsCode {
    static {
      INITIALISED.add("NotAFunctionButRunsCode");
    }
  }

  @Test
  void functionClassRunsNoCodeAtCreateJobOrDryRunOnlyWhenTheJobRuns() throws Exception {
    String bucket = Buckets.create(S3, "fninit");
    Buckets.put(S3, bucket, "a.txt", "a");
    Path job = jobFile(bucket, bucket + ",a.txt\n", "{\"JavaFunction\": {\"ClassName\": \""
        + RecordsItsInitialisation.class.getName() + "\"}}");

    CliOutcome created = s3batch("create-job", "--cli-input-json", "file://" + job);
    CliOutcome dryRun = s3batch("run", "--cli-input-json", "file://" + job, "--dry-run");

    assertEquals(0, created.code(), created.err());
    assertEquals(0, dryRun.code(), dryRun.err());
    assertFalse(INITIALISED.contains("RecordsItsInitialisation"));

    CliOutcome ran = s3batch("run", "--cli-input-json", "file://" + job);

    assertEquals(0, ran.code(), ran.err());
    assertTrue(ran.err().contains("1 tasks, 1 succeeded, 0 failed"), ran.err());
    assertTrue(INITIALISED.contains("RecordsItsInitialisation"));
  }

  @Test
  void classThatIsNotAFunctionIsRefusedWithoutRunningAnyOfItsCode() throws Exception {
    String bucket = Buckets.create(S3, "fninit");
    Buckets.put(S3, bucket, "a.txt", "a");
    String name = NotAFunctionButRunsCode.class.getName();
    Path job = jobFile(bucket, bucket + ",a.txt\n",
        "{\"JavaFunction\": {\"ClassName\": \"" + name + "\"}}");

    for (String verb : List.of("create-job", "run")) {
      CliOutcome o = s3batch(verb, "--cli-input-json", "file://" + job);

      assertEquals(2, o.code(), verb + ": " + o.err());
      assertTrue(o.err().startsWith("s3batch: Operation.JavaFunction.ClassName: \"" + name
          + "\" does not implement " + ObjectFunction.class.getName()), o.err());
    }
    assertFalse(INITIALISED.contains("NotAFunctionButRunsCode"));
  }


  private CliOutcome s3batch(String... args) {
    return CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), args);
  }

  /** A CSV-manifest job over this bucket with this operation. */
  private Path jobFile(String bucket, String csv, String operation) throws Exception {
    String etag = S3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv)).eTag().replace("\"", "");
    Path job = Files.createTempFile(dir, "job", ".json");
    Files.writeString(job, CsvJobJson.of(operation, bucket, etag, "r"));
    return job;
  }

  private static List<String> reportLines(String bucket) {
    return S3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("r/")).contents().stream()
        .map(S3Object::key).filter(k -> k.endsWith(".csv"))
        .flatMap(k -> S3.getObjectAsBytes(b -> b.bucket(bucket).key(k)).asUtf8String().lines())
        .toList();
  }
}
