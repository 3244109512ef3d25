package io.github.s3batchspark.function;

import io.github.s3batchspark.execution.ObjectTask;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Everything a function gets for one object: the task, the manifest row's other columns, the
 * job's user arguments and the executor's S3 client.
 *
 * @param task          bucket, key (decoded), version (null for the current one), the manifest
 *                      ETag (null when none) and the row's other columns
 * @param userArguments the job's {@code JavaFunction.UserArguments} (empty when none)
 * @param s3            the executor JVM's shared async S3 client; it may be joined, since
 *                      functions run on their own threads
 */
public record FunctionInput(ObjectTask task, Map<String, String> userArguments,
    S3AsyncClient s3) {

  public String bucket() {
    return task.bucket();
  }

  public String key() {
    return task.key();
  }

  /** The manifest row's other columns (inventory fields such as size or storage_class). */
  public Map<String, String> columns() {
    return task.columns();
  }

  /** A user argument, or the default when the job did not set it. */
  public String argument(String name, String defaultValue) {
    return userArguments.getOrDefault(name, defaultValue);
  }

  /**
   * The object's bytes: the task's version when it has one, and only while its ETag is still
   * the manifest's when the manifest gave one (a changed object fails with PreconditionFailed).
   */
  public ResponseBytes<GetObjectResponse> readObject() {
    return s3.getObject(b -> b.bucket(task.bucket()).key(task.key())
        .versionId(task.versionId()).ifMatch(task.quotedEtag()),
        AsyncResponseTransformer.toBytes()).join();
  }

  /** Writes an object: the request names bucket, key and any headers. */
  public PutObjectResponse writeObject(Consumer<PutObjectRequest.Builder> request, byte[] body) {
    return s3.putObject(request, AsyncRequestBody.fromBytes(body)).join();
  }
}
