package io.github.s3batchspark.job;

import java.util.List;

/**
 * The operations this build runs, by their member name in the CreateJob {@code Operation}
 * structure. A job naming any other operation is refused at validation; adding an operation is
 * one line here plus its class in the operation package.
 */
public final class SupportedOperations {
  public static final List<String> NAMES = List.of(
      "S3PutObjectTagging",
      "S3DeleteObjectTagging",
      "S3PutObjectCopy",
      "S3PutObjectAcl",
      "S3PutObjectRetention",
      "S3PutObjectLegalHold",
      "S3InitiateRestoreObject",
      "S3DeleteObject",
      "S3ComputeObjectChecksum",
      "S3UpdateObjectEncryption",
      "S3EmitEvent",
      "S3ReplicateObject",
      "LambdaInvoke",
      // our extension: the job's own Java code on the executors
      "JavaFunction");

  private SupportedOperations() {}

  public static boolean isSupported(String operationName) {
    return NAMES.contains(operationName);
  }

  /** For messages: {@code S3PutObjectTagging, S3DeleteObjectTagging, S3PutObjectCopy}. */
  public static String describe() {
    return String.join(", ", NAMES);
  }
}
