package io.github.s3batchspark.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.execution.TaskFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Invokes a Lambda function once per object with the payload Amazon S3 Batch Operations sends,
 * and reads its answer the way Amazon does, so that functions written for Amazon's service run
 * unchanged.
 *
 * <p>The request (schema 1.0 and 2.0): {@code invocationSchemaVersion}, a fresh
 * {@code invocationId} per attempt, {@code job.id} (and for 2.0 {@code job.userArguments} when
 * the job sets them), and one task with {@code taskId}, {@code s3Key}, {@code s3VersionId} (null
 * for the current version) and {@code s3BucketArn} (1.0) or {@code s3Bucket} (2.0). The key is
 * URL-encoded the same way in both versions (see {@code encodeKey}).
 *
 * <p>The answer: the result whose {@code taskId} is this task's decides. {@code Succeeded}
 * succeeds with {@code resultString} as the report's result message; {@code TemporaryFailure}
 * is retried with the runner's backoff and fails with that code once attempts run out;
 * {@code PermanentFailure} fails at once. A task missing from {@code results} is treated as
 * {@code treatMissingKeysAs} says (TemporaryFailure when absent, as Amazon documents).
 *
 * <p>A function error (Lambda's own timeout among them) and an answer in another shape fail the
 * task at once with {@code PermanentFailure}, worded as Amazon's completion reports word them:
 * {@value #FUNCTION_ERROR_MESSAGE} followed by the error payload as Lambda returned it, and
 * {@value #INVALID_JSON_MESSAGE} (user guide: "Examples: S3 Batch Operations completion reports"
 * and "Invoke AWS Lambda function"). An Invoke that outlasts the client's timeout, which Amazon
 * has no counterpart of, fails with {@link #TIMEOUT}. Lambda's own refusals (no such function,
 * throttling) are the SDK's errors, classified by the runner.
 */
public final class LambdaInvoke implements ObjectOperation {
  /** The error code of a function error and of an answer that is not the documented shape. */
  public static final String PERMANENT_FAILURE = "PermanentFailure";
  /** How a function error's result message begins, the error payload following. */
  public static final String FUNCTION_ERROR_MESSAGE = "Lambda returned function error: ";
  /** How the result message of an answer that is not the documented shape begins. */
  public static final String INVALID_JSON_MESSAGE = "Invalid JSON returned in Lambda payload";
  public static final String TIMEOUT = "LambdaTimeout";
  public static final String SCHEMA_1 = "1.0";
  public static final String SCHEMA_2 = "2.0";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String functionArn;
  private final String schemaVersion;
  private final TreeMap<String, String> userArguments;
  private final String jobId;

  /**
   * @param functionArn   function name, ARN or partial ARN, with an optional version or alias
   * @param schemaVersion "1.0" or "2.0"
   * @param userArguments the job's UserArguments (2.0 only), or null
   * @param jobId         the job id the function sees in {@code job.id}
   */
  public LambdaInvoke(String functionArn, String schemaVersion, Map<String, String> userArguments,
      String jobId) {
    this.functionArn = functionArn;
    this.schemaVersion = schemaVersion;
    this.userArguments = userArguments == null ? null : new TreeMap<>(userArguments);
    this.jobId = jobId;
  }

  /**
   * The function as the job names it: an ARN (qualified or not) as it is, a bare name as that
   * function in any region and account (IAM needs an ARN).
   */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    String function = functionArn.startsWith("arn:") ? functionArn
        : "arn:aws:lambda:*:*:function:" + functionArn;
    return List.of(PolicyStatement.allow("InvokeTheJobsFunction", List.of(function),
        "lambda:InvokeFunction"));
  }

  @Override
  public String name() {
    return "LambdaInvoke";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    String taskId = Long.toString(task.taskId());
    InvokeRequest request = InvokeRequest.builder()
        .functionName(functionArn)
        .invocationType(InvocationType.REQUEST_RESPONSE)
        .payload(SdkBytes.fromByteArray(payload(task, taskId, newInvocationId())))
        .build();
    return clients.lambda().invoke(request).handle((response, failure) -> {
      if (failure != null) {
        throw new CompletionException(timeoutOrAsIs(failure));
      }
      return outcome(response, taskId);
    });
  }

  /** The event, field for field as Amazon sends it for this schema version. */
  byte[] payload(ObjectTask task, String taskId, String invocationId) {
    ObjectNode event = JSON.createObjectNode();
    event.put("invocationSchemaVersion", schemaVersion);
    event.put("invocationId", invocationId);
    ObjectNode job = event.putObject("job");
    job.put("id", jobId);
    if (SCHEMA_2.equals(schemaVersion) && userArguments != null) {
      ObjectNode args = job.putObject("userArguments");
      userArguments.forEach(args::put);
    }
    ObjectNode t = event.putArray("tasks").addObject();
    t.put("taskId", taskId);
    if (SCHEMA_2.equals(schemaVersion)) {
      t.put("s3Bucket", task.bucket());
    }
    t.put("s3Key", encodeKey(task.key()));
    t.put("s3VersionId", task.versionId());
    if (!SCHEMA_2.equals(schemaVersion)) {
      t.put("s3BucketArn", "arn:aws:s3:::" + task.bucket());
    }
    try {
      return JSON.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the Lambda event for task " + taskId, e);
    }
  }

  private OperationResult outcome(InvokeResponse response, String taskId) {
    String body = response.payload() == null ? "" : response.payload().asUtf8String();
    if (response.functionError() != null) {
      throw functionError(body, response.statusCode());
    }
    JsonNode answer = parse(body);
    JsonNode result = resultFor(answer, taskId);
    String code = result != null ? textOrNull(result, "resultCode")
        : missingKeysCode(answer);
    String message = result != null ? textOrNull(result, "resultString") : null;
    return switch (code) {
      case "Succeeded" -> new OperationResult(response.statusCode(), message);
      case "TemporaryFailure" -> throw new TaskFailure("TemporaryFailure",
          response.statusCode(), orDefault(message, result), true);
      case "PermanentFailure" -> throw new TaskFailure("PermanentFailure",
          response.statusCode(), orDefault(message, result), false);
      default -> throw malformed("resultCode \"" + code + "\" is none of Succeeded, "
          + "TemporaryFailure, PermanentFailure", body);
    };
  }

  private static JsonNode parse(String body) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      throw malformed("the function's answer is not JSON", body);
    }
    if (answer == null || !answer.isObject() || !answer.path("results").isArray()) {
      throw malformed("the function's answer has no \"results\" array", body);
    }
    return answer;
  }

  private static JsonNode resultFor(JsonNode answer, String taskId) {
    for (JsonNode r : (ArrayNode) answer.get("results")) {
      if (taskId.equals(textOrNull(r, "taskId"))) {
        if (textOrNull(r, "resultCode") == null) {
          throw malformed("the result of task " + taskId + " has no resultCode", answer.toString());
        }
        return r;
      }
    }
    return null;
  }

  /**
   * Amazon's rule for a task the function left out of its results: "treatMissingKeysAs is an
   * optional request field and defaults to TemporaryFailure" (user guide, Invoke AWS Lambda
   * function, Response and result codes).
   */
  private static String missingKeysCode(JsonNode answer) {
    String code = textOrNull(answer, "treatMissingKeysAs");
    return code == null ? "TemporaryFailure" : code;
  }

  private static String orDefault(String message, JsonNode result) {
    if (message != null) {
      return message;
    }
    return result == null ? "The function's results did not include this task"
        : "The function returned " + result.get("resultCode").asText() + " without a resultString";
  }

  /**
   * Amazon's report quotes the payload of a function error as it is (for Lambda's own timeout,
   * {@code {"errorMessage":"... Task timed out after 3.00 seconds"}}), and so does ours.
   */
  private static TaskFailure functionError(String body, int status) {
    return TaskFailure.permanent(PERMANENT_FAILURE, status, FUNCTION_ERROR_MESSAGE + body);
  }

  /** A client-side timeout is not worth retrying: the function may still be running. */
  private Throwable timeoutOrAsIs(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (t instanceof ApiCallTimeoutException) {
      return TaskFailure.permanent(TIMEOUT, 0, "Invoke of " + functionArn
          + " did not answer in time: " + t.getMessage());
    }
    return t;
  }

  private static TaskFailure malformed(String what, String body) {
    String shown = body.length() > 200 ? body.substring(0, 200) + "..." : body;
    return TaskFailure.permanent(PERMANENT_FAILURE, 200, INVALID_JSON_MESSAGE + " (" + what
        + "): " + shown);
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /**
   * The key as Batch Operations gives it, the same in schema 1.0 and 2.0: Amazon's user guide
   * (Invoke AWS Lambda function) says "keys from S3 Batch Operations are URL encoded"; what the
   * guide and the API reference say of 2.0 concerns only the bucket (a name in s3Bucket, no ARN)
   * and userArguments, never the key. The guide does not say how a space is escaped, and its
   * handlers have decoded keys both with {@code unquote_plus} (now) and with {@code unquote}
   * (earlier): percent-encoding as UTF-8, a space as {@code %20}, a plus as {@code %2B},
   * {@code /} as is, is read back exactly by both.
   */
  private static String encodeKey(String key) {
    return SdkHttpUtils.urlEncodeIgnoreSlashes(key);
  }

  private static String newInvocationId() {
    UUID id = UUID.randomUUID();
    ByteBuffer bytes = ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }
}
