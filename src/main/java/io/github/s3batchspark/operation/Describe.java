package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ObjectTask;

/** The words a dry run uses for the object a task names, the same for every operation. */
final class Describe {
  private Describe() {}

  /** {@code s3://bucket/key}, with the version and the ETag guard when the task has them. */
  static String object(ObjectTask task) {
    StringBuilder s = new StringBuilder("s3://").append(task.bucket()).append('/')
        .append(task.key());
    if (task.versionId() != null) {
      s.append(" version ").append(task.versionId());
    }
    if (task.guarded()) {
      s.append(" if its ETag is still ").append(task.quotedEtag());
    }
    return s.toString();
  }
}
