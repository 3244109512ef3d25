package io.github.s3batchspark.console;

import java.util.List;

/**
 * The failed tasks of a job that share an error code, as the job page lists them.
 *
 * @param errorCode      the code ({@code NoSuchKey}, {@code PreconditionFailed}...), or
 *                       {@code (none)} for results that carry none
 * @param httpStatusCode the HTTP status of the first such result, or null
 * @param count          how many tasks failed with it
 * @param examples       a few of them, in the order read
 */
record FailureGroup(String errorCode, Integer httpStatusCode, long count,
    List<Example> examples) {

  /** One failed task: its object and what S3 said. */
  record Example(String bucket, String key, String resultMessage) {}

  FailureGroup {
    examples = List.copyOf(examples);
  }
}
