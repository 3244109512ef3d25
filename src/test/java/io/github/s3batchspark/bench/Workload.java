package io.github.s3batchspark.bench;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One kind of work measured by the benchmark, done the same way by every contender: the same
 * objects, one request chain per object, a label that tells whose work an object shows.
 * Serialisable because the naive Spark job ships it to its tasks.
 */
interface Workload extends Serializable {

  String name();

  /** Declares the source objects of {@code tasks} tasks in the load server. */
  VirtualObjects seed(LoadS3Server server, int tasks);

  /** The bare async client's request chain for one object. */
  CompletableFuture<?> bare(S3AsyncClient s3, String bucket, String key, String label);

  /** The naive job's blocking request for one object. */
  void naive(S3Client s3, String bucket, String key, String label);

  /** The {@code Operation} member of the CreateJob request that does the same work. */
  String operationJson(String label);

  /** How many objects show the work of {@code label} (what the contender claims to have done). */
  long done(LoadS3Server server, VirtualObjects objects, String label);

  /** Bytes each task moves, when the figure of merit is bytes per second (0 otherwise). */
  default long bytesPerTask(VirtualObjects objects) {
    return 0;
  }
}
