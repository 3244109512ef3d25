package io.github.s3batchspark.operation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.s3batchspark.job.spec.JobOperation;
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
    String name = onlyOperationIn(op);
    return switch (name) {
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
      default -> throw new IllegalArgumentException(name + ": not supported yet");
    };
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
