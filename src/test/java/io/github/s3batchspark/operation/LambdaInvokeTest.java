package io.github.s3batchspark.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.RunnerSettings;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.JobOperation;
import io.github.s3batchspark.job.spec.LambdaInvokeOperation;
import io.github.s3batchspark.testing.BatchCopyHandler;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalLambdaServer;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.OperationRun;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** LambdaInvoke through the real SDK Lambda client, a local Invoke endpoint and S3Mock. */
class LambdaInvokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static final RunnerSettings QUICK_RETRIES =
      RunnerSettings.defaults().withRetries(3, 1, 5);
  private static LocalLambdaServer lambda;
  private static ExecutorClients clients;
  private static String bucket;

  @BeforeAll
  static void endpoints() {
    lambda = new LocalLambdaServer();
    clients = ExecutorClients.get(SERVER.clientSettings().withLambda(lambda.endpoint(), 60_000));
    bucket = Buckets.create(S3, "lambda");
  }

  @AfterAll
  static void stop() {
    lambda.close();
  }

  private static LambdaInvoke invoke(String function, String schema, Map<String, String> args) {
    return new LambdaInvoke("arn:aws:lambda:us-east-1:123456789012:function:" + function,
        schema, args, "job-1");
  }

  private static ObjectTask task(long id, String key) {
    return new ObjectTask(id, bucket, key, null, null);
  }

  /** A function that answers every task with this result code and string. */
  private static LocalLambdaServer.Handler answering(String code, String resultString) {
    return event -> {
      JsonNode e = JSON.readTree(event);
      return """
          {"invocationSchemaVersion": "1.0", "treatMissingKeysAs": "PermanentFailure",
           "invocationId": "%s",
           "results": [{"taskId": "%s", "resultCode": "%s", "resultString": "%s"}]}
          """.formatted(e.get("invocationId").asText(), e.get("tasks").get(0).get("taskId")
          .asText(), code, resultString);
    };
  }

  private static JsonNode lastEventFor(String key) throws Exception {
    List<String> events = lambda.events();
    for (int i = events.size() - 1; i >= 0; i--) {
      JsonNode e = JSON.readTree(events.get(i));
      if (e.get("tasks").get(0).get("s3Key").asText().equals(key)) {
        return e;
      }
    }
    throw new AssertionError("no event for " + key);
  }

  @Test
  void schema1EventIsAmazonsFieldForFieldAndTheDocumentedHandlerCopiesTheObject()
      throws Exception {
    Buckets.put(S3, bucket, "in/report 2024.csv", "a,b\n");
    lambda.deploy("copy-v1", new BatchCopyHandler(S3, "copied/"));

    TaskResult r = OperationRun.runOne(invoke("copy-v1", "1.0", null), clients,
        new ObjectTask(7, bucket, "in/report 2024.csv", null, null));

    assertTrue(r.succeeded(), r.toString());
    assertEquals("Copied in/report 2024.csv to copied/in/report 2024.csv", r.resultMessage());
    assertEquals("a,b\n", S3.getObjectAsBytes(b -> b.bucket(bucket)
        .key("copied/in/report 2024.csv")).asUtf8String());
    JsonNode e = lastEventFor("in/report%202024.csv");
    assertEquals(List.of("invocationSchemaVersion", "invocationId", "job", "tasks"),
        fieldNames(e));
    assertEquals("1.0", e.get("invocationSchemaVersion").asText());
    assertFalse(e.get("invocationId").asText().isEmpty());
    assertEquals("{\"id\":\"job-1\"}", e.get("job").toString());
    JsonNode t = e.get("tasks").get(0);
    assertEquals(List.of("taskId", "s3Key", "s3VersionId", "s3BucketArn"), fieldNames(t));
    assertEquals("7", t.get("taskId").asText());
    assertTrue(t.get("s3VersionId").isNull());
    assertEquals("arn:aws:s3:::" + bucket, t.get("s3BucketArn").asText());
  }

  @Test
  void schema2EventCarriesTheBucketNameAndUserArguments() throws Exception {
    Buckets.put(S3, bucket, "in/v2.txt", "two");
    lambda.deploy("copy-v2", new BatchCopyHandler(S3, "unused/"));

    TaskResult r = OperationRun.runOne(invoke("copy-v2", "2.0",
        Map.of("DestinationPrefix", "v2copies/")), clients, task(8, "in/v2.txt"));

    assertTrue(r.succeeded(), r.toString());
    assertEquals("two", S3.getObjectAsBytes(b -> b.bucket(bucket).key("v2copies/in/v2.txt"))
        .asUtf8String());
    JsonNode e = lastEventFor("in/v2.txt");
    assertEquals("2.0", e.get("invocationSchemaVersion").asText());
    assertEquals("v2copies/", e.get("job").get("userArguments").get("DestinationPrefix").asText());
    JsonNode t = e.get("tasks").get(0);
    assertEquals(List.of("taskId", "s3Bucket", "s3Key", "s3VersionId"), fieldNames(t));
    assertEquals(bucket, t.get("s3Bucket").asText());
  }

  /** A space, a plus, a slash and a non-ASCII letter: every way a key's encoding can go wrong. */
  private static final String AWKWARD_KEY = "in/clip 1+2 caf\u00e9.mp4";
  /**
   * URL-encoded as Amazon's guide says keys arrive, in the one form that both decoders its
   * handlers have used ({@code unquote_plus}, {@code unquote}) read back exactly.
   */
  private static final String AWKWARD_KEY_AS_SENT = "in/clip%201%2B2%20caf%C3%A9.mp4";

  /** Python's {@code urllib.parse.unquote}, which the guide's earlier handler used: no '+'. */
  private static String unquote(String encoded) {
    return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Test
  void schema1GivesTheKeyUrlEncodedAndTheGuidesDecodingGetsTheExactKeyBack() throws Exception {
    Buckets.put(S3, bucket, AWKWARD_KEY, "one");
    lambda.deploy("keys-v1", new BatchCopyHandler(S3, "v1keys/"));

    TaskResult r = OperationRun.runOne(invoke("keys-v1", "1.0", null), clients,
        task(21, AWKWARD_KEY));

    assertTrue(r.succeeded(), r.toString());
    JsonNode t = lastEventFor(AWKWARD_KEY_AS_SENT).get("tasks").get(0);
    assertEquals("arn:aws:s3:::" + bucket, t.get("s3BucketArn").asText());
    assertEquals(AWKWARD_KEY, unquote(t.get("s3Key").asText()));
    assertEquals("one", S3.getObjectAsBytes(b -> b.bucket(bucket).key("v1keys/" + AWKWARD_KEY))
        .asUtf8String());
  }

  @Test
  void schema2GivesTheKeyUrlEncodedExactlyAsSchema1Does() throws Exception {
    Buckets.put(S3, bucket, AWKWARD_KEY, "two");
    lambda.deploy("keys-v2", new BatchCopyHandler(S3, "unused/"));

    TaskResult r = OperationRun.runOne(invoke("keys-v2", "2.0",
        Map.of("DestinationPrefix", "v2keys/")), clients, task(22, AWKWARD_KEY));

    assertTrue(r.succeeded(), r.toString());
    JsonNode t = lastEventFor(AWKWARD_KEY_AS_SENT).get("tasks").get(0);
    assertEquals(bucket, t.get("s3Bucket").asText());
    assertEquals(AWKWARD_KEY, unquote(t.get("s3Key").asText()));
    assertEquals("two", S3.getObjectAsBytes(b -> b.bucket(bucket).key("v2keys/" + AWKWARD_KEY))
        .asUtf8String());
  }

  @Test
  void resultCodesAreReadAsAmazonReadsThem() {
    lambda.deploy("permanent", answering("PermanentFailure", "corrupt input"));
    AtomicInteger calls = new AtomicInteger();
    LocalLambdaServer.Handler temporary = answering("TemporaryFailure", "busy");
    LocalLambdaServer.Handler ok = answering("Succeeded", "done on retry");
    lambda.deploy("flaky", event -> (calls.incrementAndGet() == 1 ? temporary : ok).handle(event));
    lambda.deploy("always-busy", temporary);

    TaskResult permanent = OperationRun.runOne(invoke("permanent", "1.0", null), clients,
        task(1, "a"));
    TaskResult flaky = OperationRun.run(invoke("flaky", "1.0", null), clients, QUICK_RETRIES,
        task(2, "b")).get(0);
    TaskResult busy = OperationRun.run(invoke("always-busy", "1.0", null), clients,
        QUICK_RETRIES, task(3, "c")).get(0);

    assertEquals(List.of("failed", "PermanentFailure", "corrupt input", 1), List.of(
        permanent.taskStatus(), permanent.errorCode(), permanent.resultMessage(),
        permanent.attempts()));
    assertEquals(List.of("succeeded", "done on retry", 2), List.of(flaky.taskStatus(),
        flaky.resultMessage(), flaky.attempts()));
    assertEquals(List.of("failed", "TemporaryFailure", "busy", 3), List.of(busy.taskStatus(),
        busy.errorCode(), busy.resultMessage(), busy.attempts()));
  }

  @Test
  void aTaskMissingFromTheResultsIsTreatedAsTreatMissingKeysAsSaysAndRetriedWhenItIsAbsent() {
    lambda.deploy("forgets-ok", e -> "{\"treatMissingKeysAs\": \"Succeeded\", \"results\": []}");
    lambda.deploy("forgets-for-good", e -> "{\"treatMissingKeysAs\": \"PermanentFailure\", "
        + "\"results\": []}");
    lambda.deploy("forgets", e -> "{\"results\": [{\"taskId\": \"other\", "
        + "\"resultCode\": \"Succeeded\"}]}");

    TaskResult ok = OperationRun.runOne(invoke("forgets-ok", "1.0", null), clients, task(1, "a"));
    TaskResult permanent = OperationRun.runOne(invoke("forgets-for-good", "1.0", null), clients,
        task(1, "a"));
    TaskResult absent = OperationRun.run(invoke("forgets", "1.0", null), clients, QUICK_RETRIES,
        task(1, "a")).get(0);

    assertTrue(ok.succeeded(), ok.toString());
    assertEquals(List.of("PermanentFailure", 1), List.of(permanent.errorCode(),
        permanent.attempts()));
    // Amazon: "treatMissingKeysAs ... defaults to TemporaryFailure", so the task is redriven
    assertEquals(List.of("failed", "TemporaryFailure", 3), List.of(absent.taskStatus(),
        absent.errorCode(), absent.attempts()));
  }

  @Test
  void functionErrorsAndLambdasOwnTimeoutArePermanentFailuresWordedAsAmazonsReports() {
    lambda.deploy("throws", e -> {
      throw new IllegalStateException("cannot open the video");
    });
    lambda.deploy("lambda-timeout", e -> {
      throw new Exception("2026-11-25T19:00:00Z abc Task timed out after 3.00 seconds");
    });

    TaskResult thrown = OperationRun.runOne(invoke("throws", "1.0", null), clients, task(1, "a"));
    TaskResult timedOut = OperationRun.runOne(invoke("lambda-timeout", "1.0", null), clients,
        task(1, "a"));

    // Amazon's example report: failed,200,PermanentFailure,"Lambda returned function error: {..}"
    assertEquals(List.of("failed", "PermanentFailure", 200, 1), List.of(thrown.taskStatus(),
        thrown.errorCode(), thrown.httpStatusCode(), thrown.attempts()));
    assertEquals("Lambda returned function error: {\"errorMessage\":\"cannot open the video\","
        + "\"errorType\":\"java.lang.IllegalStateException\",\"stackTrace\":[]}",
        thrown.resultMessage());
    assertEquals(List.of("failed", "PermanentFailure", 200, 1), List.of(timedOut.taskStatus(),
        timedOut.errorCode(), timedOut.httpStatusCode(), timedOut.attempts()));
    assertTrue(timedOut.resultMessage().startsWith("Lambda returned function error: {"
        + "\"errorMessage\":\"2026-11-25T19:00:00Z abc Task timed out after 3.00 seconds\""),
        timedOut.resultMessage());
  }

  @Test
  void anAnswerNotInTheDocumentedShapeIsInvalidJsonReturnedInLambdaPayload() {
    lambda.deploy("not-json", e -> "OK");
    lambda.deploy("bad-code", answering("Maybe", "?"));
    // what a Java RequestHandler<..., String> answers: the JSON, serialised again as a string
    lambda.deploy("request-handler", e -> "\"{\\\"results\\\": []}\"");

    List<TaskResult> results = List.of("not-json", "bad-code", "request-handler").stream()
        .map(f -> OperationRun.runOne(invoke(f, "1.0", null), clients, task(1, "a"))).toList();
    TaskResult missing = OperationRun.runOne(invoke("no-such-function", "1.0", null), clients,
        task(1, "a"));

    for (TaskResult r : results) {
      assertEquals(List.of("failed", "PermanentFailure", 200, 1), List.of(r.taskStatus(),
          r.errorCode(), r.httpStatusCode(), r.attempts()), r.toString());
      assertTrue(r.resultMessage().startsWith("Invalid JSON returned in Lambda payload"),
          r.resultMessage());
    }
    assertTrue(results.get(1).resultMessage().contains("\"Maybe\""),
        results.get(1).resultMessage());
    assertEquals(List.of("ResourceNotFoundException", 404),
        List.of(missing.errorCode(), missing.httpStatusCode()));
  }

  @Test
  void anInvokeThatOutlastsTheClientTimeoutFailsWithLambdaTimeout() {
    CountDownLatch release = new CountDownLatch(1);
    lambda.deploy("hangs", e -> {
      release.await(30, TimeUnit.SECONDS);
      return "{\"results\": []}";
    });
    ExecutorClients impatient = ExecutorClients.get(SERVER.clientSettings()
        .withLambda(lambda.endpoint(), 500));
    try {
      TaskResult r = OperationRun.runOne(invoke("hangs", "1.0", null), impatient, task(1, "a"));
      assertEquals(List.of(LambdaInvoke.TIMEOUT, 1), List.of(r.errorCode(), r.attempts()));
    } finally {
      release.countDown();
    }
  }

  @Test
  void invocationsOfOnePartitionOverlap() {
    // Every call waits until four are running at once: it only succeeds if they overlap.
    CyclicBarrier four = new CyclicBarrier(4);
    LocalLambdaServer.Handler ok = answering("Succeeded", "together");
    lambda.deploy("together", e -> {
      four.await(20, TimeUnit.SECONDS);
      return ok.handle(e);
    });

    List<TaskResult> results = OperationRun.run(invoke("together", "1.0", null), clients,
        RunnerSettings.defaults().withInFlight(4).withRetries(1, 1, 1),
        task(1, "a"), task(2, "b"), task(3, "c"), task(4, "d"));

    assertTrue(results.stream().allMatch(TaskResult::succeeded), results.toString());
  }

  @Test
  void factoryRefusesWhatAmazonRefuses() {
    var userArgsOn1 = assertThrows(IllegalArgumentException.class, () -> OperationFactory.create(
        lambdaOperation(new LambdaInvokeOperation("f", "1.0", Map.of("a", "b")))));
    var noFunction = assertThrows(IllegalArgumentException.class, () -> OperationFactory.create(
        lambdaOperation(new LambdaInvokeOperation(null, "2.0", null))));
    var schema = assertThrows(IllegalArgumentException.class, () -> OperationFactory.create(
        lambdaOperation(new LambdaInvokeOperation("f", "3.0", null))));

    assertTrue(userArgsOn1.getMessage().contains("UserArguments"), userArgsOn1.getMessage());
    assertTrue(noFunction.getMessage().contains("FunctionArn"), noFunction.getMessage());
    assertTrue(schema.getMessage().contains("InvocationSchemaVersion"), schema.getMessage());
  }

  private static JobOperation lambdaOperation(LambdaInvokeOperation op) {
    return new JobOperation(op, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
