package io.github.s3batchspark.bench;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One kind of work measured by the benchmark, done the same way by every contender: the same
 * objects, one request chain per object, a label that tells whose work an object shows.
 * Serialisable because the naive Spark job ships it to its tasks.
 */
interface Workload extends Serializable {

  /** The workload {@code scripts/bench --workload NAME} names; objects of checksum's size. */
  static Workload named(String name, int objectSize) {
    return switch (name) {
      case "tagging" -> new TaggingWorkload();
      case "copy" -> CopyWorkload.small();
      case "copy-large" -> CopyWorkload.large();
      case "checksum" -> new ChecksumWorkload(objectSize);
      default -> throw new IllegalArgumentException("unknown workload " + name
          + " (known: tagging, copy, copy-large, checksum, and the runs listing, priority)");
    };
  }

  String name();

  /** Declares the source objects of {@code tasks} tasks in the load server. */
  VirtualObjects seed(LoadS3Server server, int tasks);

  /** The bare async client's request chain for one object. */
  CompletableFuture<?> bare(S3AsyncClient s3, String bucket, String key, String label);

  /** The naive job's blocking request for one object. */
  void naive(S3Client s3, String bucket, String key, String label);

  /** The {@code Operation} member of the CreateJob request that does the same work. */
  String operationJson(String label);

  /** {@link #done} of work that leaves no trace in the store (reads). */
  long UNOBSERVABLE = -1;

  /**
   * How many objects show the work of {@code label}, counted in the store rather than taken
   * from the contender; {@link #UNOBSERVABLE} when the work leaves no trace.
   */
  long done(LoadS3Server server, VirtualObjects objects, String label);

  /** Bytes each task moves, when the figure of merit is bytes per second (0 otherwise). */
  default long bytesPerTask(VirtualObjects objects) {
    return 0;
  }

  /** The S3 actions that do the work: what {@code --faults} makes fail. */
  Set<String> actions();

  /** How the bare client is built for this work (the SDK's multipart copy, for one). */
  default S3AsyncClientBuilder configureBare(S3AsyncClientBuilder builder) {
    return builder;
  }

  /** Options of {@code s3batch run} that this work needs (a multipart threshold, for one). */
  default List<String> runArgs() {
    return List.of();
  }
}
