package io.github.s3batchspark.function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.RunnerSettings;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.operation.JavaFunction;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.OperationRun;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Java functions on the executors, through the real TaskRunner against S3Mock. */
class JavaFunctionTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static ExecutorClients clients;
  private static String bucket;

  /** Released by the timeout test once the hanging call was interrupted. */
  static final CountDownLatch INTERRUPTED = new CountDownLatch(1);

  /**
   * Says what it was given: the columns and user arguments reach the function; with a
   * {@code copyTo} argument it also writes through the SDK-free method.
   */
  public static final class Echo implements ObjectFunction {
    @Override
    public FunctionResult apply(FunctionInput in) {
      String copyTo = in.argument("copyTo", null);
      if (copyTo != null) {
        in.writeBytes(in.bucket(), copyTo + in.key(), in.key().getBytes(), "text/plain");
      }
      return FunctionResult.succeeded(in.key() + " size=" + in.columns().get("size")
          + " preset=" + in.argument("preset", "none"));
    }
  }

  public static final class Throws implements ObjectFunction {
    @Override
    public FunctionResult apply(FunctionInput in) throws IOException {
      throw new IOException("codec missing for " + in.key());
    }
  }

  public static final class Hangs implements ObjectFunction {
    @Override
    public FunctionResult apply(FunctionInput in) {
      try {
        new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        return FunctionResult.succeeded("woke up");
      } catch (InterruptedException e) {
        INTERRUPTED.countDown();
        return FunctionResult.succeeded("interrupted");
      }
    }
  }

  /** Released by the stuck-call test when it is done. */
  static final CountDownLatch UNSTICK = new CountDownLatch(1);

  /** Hangs on "stuck" keys and swallows every interrupt, as careless blocking code does. */
  public static final class IgnoresInterrupts implements ObjectFunction {
    @Override
    public FunctionResult apply(FunctionInput in) {
      while (in.key().startsWith("stuck") && UNSTICK.getCount() > 0) {
        try {
          UNSTICK.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException swallowed) {
          // keep hanging
        }
      }
      return FunctionResult.succeeded("done " + in.key());
    }
  }

  public static final class NotAFunction {}

  public static final class NeedsAnArgument implements ObjectFunction {
    public NeedsAnArgument(String preset) {}

    @Override
    public FunctionResult apply(FunctionInput in) {
      return FunctionResult.succeeded("never built");
    }
  }

  /** Passes the check on the driver; its constructor fails when an executor builds it. */
  public static final class FailsInItsConstructor implements ObjectFunction {
    public FailsInItsConstructor() {
      throw new IllegalStateException("no licence file");
    }

    @Override
    public FunctionResult apply(FunctionInput in) {
      return FunctionResult.succeeded("never built");
    }
  }

  /** Passes the check on the driver; its static initialiser fails when an executor builds it. */
  public static final class FailsInItsStaticInitialiser implements ObjectFunction {
    private static final String MODEL = load();

    private static String load() {
      throw new IllegalStateException("no model on this executor");
    }

    @Override
    public FunctionResult apply(FunctionInput in) {
      return FunctionResult.succeeded(MODEL);
    }
  }

  public abstract static class Abstract implements ObjectFunction {}

  @BeforeAll
  static void server() {
    clients = ExecutorClients.get(SERVER.clientSettings());
    bucket = Buckets.create(S3, "functions");
  }

  private static JavaFunction function(String className, Map<String, String> args) {
    return new JavaFunction(className, args, 60_000, 4).checkLoadable();
  }

  private static ObjectTask task(String key) {
    return new ObjectTask(1, bucket, key, null, null);
  }

  static byte[] image(int width, int height, String format) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  static BufferedImage decode(String bucket, String key) throws IOException {
    byte[] bytes = S3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    if (image == null) {
      throw new AssertionError(key + " does not decode as an image");
    }
    return image;
  }

  @Test
  void thumbnailsAreRealResizedImagesInTheSourceFormat() throws Exception {
    S3.putObject(b -> b.bucket(bucket).key("photos/wide.png"),
        RequestBody.fromBytes(image(400, 200, "png")));
    S3.putObject(b -> b.bucket(bucket).key("photos/tall.jpg"),
        RequestBody.fromBytes(image(300, 600, "jpg")));
    Buckets.put(S3, bucket, "photos/notes.txt", "not an image");
    JavaFunction thumbnails = function("ImageThumbnails",
        Map.of("Sizes", "100, 50", "TargetPrefix", "thumbs/"));

    List<TaskResult> results = OperationRun.run(thumbnails, clients, task("photos/wide.png"),
        task("photos/tall.jpg"), task("photos/notes.txt"));

    BufferedImage wide = decode(bucket, "thumbs/100/photos/wide.png");
    BufferedImage tall = decode(bucket, "thumbs/50/photos/tall.jpg");
    assertEquals(List.of(100, 50), List.of(wide.getWidth(), wide.getHeight()));
    assertEquals(List.of(25, 50), List.of(tall.getWidth(), tall.getHeight()));
    assertEquals(List.of(50, 25), List.of(decode(bucket, "thumbs/50/photos/wide.png").getWidth(),
        decode(bucket, "thumbs/50/photos/wide.png").getHeight()));
    assertEquals("image/jpeg", S3.headObject(b -> b.bucket(bucket)
        .key("thumbs/100/photos/tall.jpg")).contentType());
    TaskResult text = results.stream().filter(r -> r.key().endsWith(".txt")).findFirst()
        .orElseThrow();
    assertEquals(List.of("failed", "PermanentFailure"), List.of(text.taskStatus(),
        text.errorCode()));
    assertTrue(results.stream().filter(r -> !r.key().endsWith(".txt"))
        .allMatch(r -> r.succeeded() && r.resultMessage().startsWith("Wrote ")), results
        .toString());
  }

  @Test
  void gzipCompressWritesACopyThatDecompressesToTheSource() throws Exception {
    String log = "GET /index.html 200\n".repeat(500);
    Buckets.put(S3, bucket, "logs/access.log", log);

    TaskResult r = OperationRun.runOne(function("GzipCompress", Map.of("TargetPrefix",
        "archive/")), clients, task("logs/access.log"));

    assertTrue(r.succeeded(), r.toString());
    byte[] gz = S3.getObjectAsBytes(b -> b.bucket(bucket).key("archive/logs/access.log.gz"))
        .asByteArray();
    assertTrue(gz.length < log.length() / 10, gz.length + " bytes");
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertArrayEquals(log.getBytes(), in.readAllBytes());
    }
  }

  @Test
  void anObjectChangedSinceTheManifestIsNotReadAndFailsWithPreconditionFailed() {
    Buckets.put(S3, bucket, "logs/changed.log", "new body");

    TaskResult r = OperationRun.runOne(function("GzipCompress", null), clients,
        new ObjectTask(4, bucket, "logs/changed.log", null, "0123456789abcdef0123456789abcdef"));

    assertEquals(List.of("failed", "PreconditionFailed", 412), List.of(r.taskStatus(),
        r.errorCode(), r.httpStatusCode()));
    assertTrue(S3.listObjectsV2(b -> b.bucket(bucket).prefix("logs/changed.log.gz")).contents()
        .isEmpty());
  }

  @Test
  void theFunctionGetsTheRowsColumnsAndTheJobsUserArguments() {
    TaskResult r = OperationRun.runOne(function(Echo.class.getName(), Map.of("preset", "720p",
        "copyTo", "echo/")),
        clients, new ObjectTask(3, bucket, "videos/a.mp4", null, null, Map.of("size", "1234")));

    assertEquals("videos/a.mp4 size=1234 preset=720p", r.resultMessage());
    assertEquals("videos/a.mp4", S3.getObjectAsBytes(b -> b.bucket(bucket)
        .key("echo/videos/a.mp4")).asUtf8String());
  }

  @Test
  void anExceptionFailsTheTaskWithItsClassAndMessage() {
    TaskResult r = OperationRun.run(function(Throws.class.getName(), null), clients,
        RunnerSettings.defaults().withRetries(3, 1, 5), task("x.bin")).get(0);

    assertEquals(List.of("failed", "IOException", "java.io.IOException: codec missing for x.bin",
        1), List.of(r.taskStatus(), r.errorCode(), r.resultMessage(), r.attempts()));
  }

  @Test
  void aHangingFunctionIsCutOffByTheTimeoutAndInterrupted() throws Exception {
    JavaFunction hangs = new JavaFunction(Hangs.class.getName(), null, 300, 2);

    TaskResult r = OperationRun.runOne(hangs, clients, task("slow.bin"));

    assertEquals(List.of("failed", JavaFunction.TIMEOUT), List.of(r.taskStatus(), r.errorCode()));
    assertTrue(INTERRUPTED.await(10, TimeUnit.SECONDS), "the hanging call was interrupted");
  }

  @Test
  void aCallThatIgnoresTheInterruptDoesNotHoldUpTheCallsBehindIt() {
    JavaFunction oneThread = new JavaFunction(IgnoresInterrupts.class.getName(), null, 300, 1);
    try {
      List<TaskResult> results = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> OperationRun.run(oneThread, clients,
              RunnerSettings.defaults().withInFlight(4).withRetries(1, 1, 1),
              new ObjectTask(1, bucket, "stuck.bin", null, null),
              new ObjectTask(2, bucket, "quick-1.bin", null, null),
              new ObjectTask(3, bucket, "quick-2.bin", null, null)))
          .stream().sorted(java.util.Comparator.comparingLong(TaskResult::taskId)).toList();

      assertEquals(List.of("failed", JavaFunction.TIMEOUT), List.of(results.get(0).taskStatus(),
          results.get(0).errorCode()), results.toString());
      assertEquals(List.of("done quick-1.bin", "done quick-2.bin"), List.of(
          results.get(1).resultMessage(), results.get(2).resultMessage()), results.toString());
    } finally {
      UNSTICK.countDown();
    }
  }

  @Test
  void aFunctionThatCannotBeBuiltOnTheExecutorFailsItsTasksWithInvalidFunction() {
    TaskResult constructor = OperationRun.runOne(function(FailsInItsConstructor.class.getName(),
        null), clients, task("a.bin"));
    List<TaskResult> initialiser = OperationRun.run(function(
        FailsInItsStaticInitialiser.class.getName(), null), clients, task("b.bin"), task("c.bin"));

    assertEquals(List.of("failed", JavaFunction.INVALID_FUNCTION, 1), List.of(
        constructor.taskStatus(), constructor.errorCode(), constructor.attempts()));
    assertEquals("Operation.JavaFunction.ClassName: \"" + FailsInItsConstructor.class.getName()
        + "\" failed in its constructor: java.lang.IllegalStateException: no licence file",
        constructor.resultMessage());
    assertEquals(List.of(JavaFunction.INVALID_FUNCTION, JavaFunction.INVALID_FUNCTION),
        initialiser.stream().map(TaskResult::errorCode).toList());
    assertTrue(initialiser.stream().allMatch(r -> r.resultMessage().startsWith(
        "Operation.JavaFunction.ClassName: \"" + FailsInItsStaticInitialiser.class.getName()
            + "\" ")), initialiser::toString);
    assertTrue(initialiser.stream().anyMatch(r -> r.resultMessage().contains(
        "failed in its static initialiser: java.lang.IllegalStateException: no model on this "
            + "executor")), initialiser::toString);
  }

  @Test
  void anAbstractFunctionIsRefusedBeforeAnyTask() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> function(Abstract.class.getName(), null));

    assertEquals("Operation.JavaFunction.ClassName: \"" + Abstract.class.getName() + "\" is not "
        + "public, or is abstract or an interface; name a public, concrete class", e.getMessage());
  }

  @Test
  void aClassThatIsMissingNotAFunctionOrWithoutANoArgumentConstructorIsRefusedBeforeAnyTask() {
    var missing = assertThrows(IllegalArgumentException.class,
        () -> function("com.example.Nope", null));
    var wrong = assertThrows(IllegalArgumentException.class,
        () -> function(NotAFunction.class.getName(), null));
    var noConstructor = assertThrows(IllegalArgumentException.class,
        () -> function(NeedsAnArgument.class.getName(), null));

    assertEquals("Operation.JavaFunction.ClassName: \"com.example.Nope\" is not a class on the "
        + "classpath; ship the jar that holds it with spark-submit --jars your-functions.jar (and "
        + "check the name's package and spelling), or name a built-in: DynamoDbResults, "
        + "GzipCompress, ImageThumbnails", missing.getMessage());
    assertTrue(wrong.getMessage().startsWith("Operation.JavaFunction.ClassName: \""
        + NotAFunction.class.getName() + "\" does not implement "
        + ObjectFunction.class.getName()), wrong.getMessage());
    assertTrue(noConstructor.getMessage().startsWith("Operation.JavaFunction.ClassName: \""
        + NeedsAnArgument.class.getName() + "\" has no public no-argument constructor"),
        noConstructor.getMessage());
  }
}
