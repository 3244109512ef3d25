package io.github.s3batchspark.function;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Everything a function gets for one object: the task, the manifest row's other columns, the
 * job's user arguments and the executor's S3 client.
 *
 * <p>The shaded jar relocates the AWS SDK (to keep it apart from the cluster's), so a function
 * compiled against the plain SDK should use the SDK-free methods ({@link #readBytes},
 * {@link #writeBytes}); those that take or return SDK types ({@link #s3}, {@link #readObject},
 * {@link #writeObject}) need the function compiled against the shaded jar.
 *
 * @param task          bucket, key (decoded), version (null for the current one), the manifest
 *                      ETag (null when none) and the row's other columns
 * @param userArguments the job's {@code JavaFunction.UserArguments} (empty when none)
 * @param s3            the executor JVM's shared async S3 client; it may be waited on, since
 *                      functions run on their own threads (prefer {@link #await}, which a
 *                      timeout can interrupt, to {@code join()}, which it cannot)
 * @param jobId         the id of the job that calls the function, or null outside a job
 * @param clients       the executor JVM's clients of the other services (DynamoDB, SQS, ...),
 *                      built from the job's settings, or null outside a job
 */
public record FunctionInput(ObjectTask task, Map<String, String> userArguments,
    S3AsyncClient s3, String jobId, ExecutorClients clients) {

  /** An input outside any job: no job id, and no clients but S3's. */
  public FunctionInput(ObjectTask task, Map<String, String> userArguments, S3AsyncClient s3) {
    this(task, userArguments, s3, null, null);
  }

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

  /**
   * The executor JVM's shared async DynamoDB client, at the job's events endpoint.
   *
   * @throws IllegalStateException outside a job, where no clients were given
   */
  public DynamoDbAsyncClient dynamoDb() {
    if (clients == null) {
      throw new IllegalStateException("no DynamoDB client: this input was not made by a job");
    }
    return clients.dynamoDb();
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
    return await(s3.getObject(b -> b.bucket(task.bucket()).key(task.key())
        .versionId(task.versionId()).ifMatch(task.quotedEtag()),
        AsyncResponseTransformer.toBytes()));
  }

  /** The object's bytes, as {@link #readObject} reads them. */
  public byte[] readBytes() {
    return readObject().asByteArray();
  }

  /** Writes an object with this content type (null for S3's default). */
  public void writeBytes(String bucket, String key, byte[] body, String contentType) {
    writeObject(put -> put.bucket(bucket).key(key).contentType(contentType), body);
  }

  /** Writes an object: the request names bucket, key and any headers. */
  public PutObjectResponse writeObject(Consumer<PutObjectRequest.Builder> request, byte[] body) {
    return await(s3.putObject(request, AsyncRequestBody.fromBytes(body)));
  }

  /**
   * Waits for a request of the S3 client. Unlike {@code join()} it gives way to the interrupt
   * of the job's timeout (cancelling the request), so a call stuck on S3 frees its thread.
   * S3's errors are thrown as they are, for the runner to classify and retry.
   */
  public static <T> T await(CompletableFuture<T> request) {
    try {
      return request.get();
    } catch (InterruptedException e) {
      request.cancel(true);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for S3");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new CompletionException(e.getCause());
    }
  }
}
