package io.github.s3batchspark.operation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.s3batchspark.function.DynamoDbResults;
import io.github.s3batchspark.job.spec.JavaFunctionOperation;
import io.github.s3batchspark.job.spec.JobOperation;
import io.github.s3batchspark.job.spec.LambdaInvokeOperation;
import io.github.s3batchspark.job.spec.S3SetObjectTaggingOperation;
import io.github.s3batchspark.operation.S3PutObjectTagging.ObjectTag;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/** Builds the operation that a job's {@code Operation} names, on the driver, before any task runs. */
public final class OperationFactory {
  private OperationFactory() {}

  /**
   * The operation for this job spec.
   *
   * @throws IllegalArgumentException when the spec names no operation, more than one, one this
   *     release does not run yet, or one whose settings S3 would refuse
   */
  public static ObjectOperation create(JobOperation op) {
    return create(op, null);
  }

  /**
   * The operation for this job spec, in the job with this id (LambdaInvoke passes it to the
   * function as {@code job.id}; null gives a fresh one).
   */
  public static ObjectOperation create(JobOperation op, String jobId) {
    String name = onlyOperationIn(op);
    return switch (name) {
      case "LambdaInvoke" -> lambdaInvoke(op.lambdaInvoke(),
          jobId != null ? jobId : java.util.UUID.randomUUID().toString());
      case "S3PutObjectCopy" -> new S3PutObjectCopy(op.s3PutObjectCopy());
      case "S3PutObjectTagging" -> new S3PutObjectTagging(tags(op.s3PutObjectTagging()));
      case "S3DeleteObjectTagging" -> new S3DeleteObjectTagging();
      case "S3PutObjectAcl" -> new S3PutObjectAcl(op.s3PutObjectAcl());
      case "S3PutObjectRetention" -> new S3PutObjectRetention(op.s3PutObjectRetention());
      case "S3PutObjectLegalHold" -> new S3PutObjectLegalHold(op.s3PutObjectLegalHold());
      case "S3InitiateRestoreObject" -> new S3InitiateRestoreObject(op.s3InitiateRestoreObject());
      case "S3DeleteObject" -> new S3DeleteObject();
      case "S3ComputeObjectChecksum" -> new S3ComputeObjectChecksum(op.s3ComputeObjectChecksum());
      case "S3UpdateObjectEncryption" -> new S3UpdateObjectEncryption(
          op.s3UpdateObjectEncryption());
      case "S3EmitEvent" -> new S3EmitEvent(op.s3EmitEvent());
      case "S3ReplicateObject" -> new S3ReplicateObject();
      case "JavaFunction" -> javaFunction(op.javaFunction(), jobId);
      default -> throw new IllegalArgumentException(name + ": not supported yet");
    };
  }

  /** Amazon's rules: a function is named, schema 1.0 by default, UserArguments only with 2.0. */
  private static LambdaInvoke lambdaInvoke(LambdaInvokeOperation op, String jobId) {
    if (op.functionArn() == null || op.functionArn().isBlank()) {
      throw new IllegalArgumentException("Operation.LambdaInvoke.FunctionArn is required: the "
          + "function (name or ARN) to invoke for every object");
    }
    String version = op.invocationSchemaVersion() == null ? LambdaInvoke.SCHEMA_1
        : op.invocationSchemaVersion();
    if (!version.equals(LambdaInvoke.SCHEMA_1) && !version.equals(LambdaInvoke.SCHEMA_2)) {
      throw new IllegalArgumentException("Operation.LambdaInvoke.InvocationSchemaVersion must be "
          + "\"1.0\" or \"2.0\", got \"" + version + "\"");
    }
    if (op.userArguments() != null && !op.userArguments().isEmpty()
        && !version.equals(LambdaInvoke.SCHEMA_2)) {
      throw new IllegalArgumentException("Operation.LambdaInvoke.UserArguments needs "
          + "InvocationSchemaVersion \"2.0\" (schema 1.0 has no place for them)");
    }
    return new LambdaInvoke(op.functionArn(), version, op.userArguments(), jobId);
  }

  /** Our extension: the class must load here, so that a typo fails before any task. */
  private static JavaFunction javaFunction(JavaFunctionOperation op, String jobId) {
    int timeout = op.timeoutSeconds() != null ? op.timeoutSeconds()
        : JavaFunction.DEFAULT_TIMEOUT_SECONDS;
    int threads = op.threads() != null ? op.threads() : JavaFunction.defaultThreads();
    if (DynamoDbResults.class.getName().equals(JavaFunction.BUILT_INS.getOrDefault(
        op.className(), op.className()))) {
      DynamoDbResults.checkArguments(op.userArguments()); // ours: its code may run here
    }
    return new JavaFunction(op.className(), op.userArguments(), timeout * 1000L, threads, jobId)
        .checkLoadable();
  }

  /** An absent TagSet is an empty one: S3PutObjectTagging then removes every tag. */
  private static List<ObjectTag> tags(S3SetObjectTaggingOperation op) {
    return op.tagSet() == null ? List.of()
        : op.tagSet().stream().map(t -> new ObjectTag(t.key(), t.value())).toList();
  }

  /** The JSON name of the one operation set in the spec (Operation is a union in s3control). */
  private static String onlyOperationIn(JobOperation op) {
    if (op == null) {
      throw new IllegalArgumentException("Operation is required: name one operation, for "
          + "example {\"S3PutObjectCopy\": {...}}");
    }
    List<String> set = Arrays.stream(JobOperation.class.getRecordComponents())
        .filter(c -> valueOf(c, op) != null)
        .map(OperationFactory::jsonName)
        .toList();
    if (set.size() != 1) {
      throw new IllegalArgumentException("Operation must name exactly one operation, got "
          + (set.isEmpty() ? "none" : set));
    }
    return set.get(0);
  }

  private static String jsonName(RecordComponent c) {
    JsonProperty json = c.getAccessor().getAnnotation(JsonProperty.class);
    return json != null ? json.value() : c.getName();
  }

  private static Object valueOf(RecordComponent c, JobOperation op) {
    try {
      return c.getAccessor().invoke(op);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of the job's Operation", e);
    }
  }
}
