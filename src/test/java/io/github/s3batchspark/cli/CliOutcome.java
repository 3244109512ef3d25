package io.github.s3batchspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one command line printed and returned, run in process as a user types it (the tests'
 * shared harness, as JaCoCo's CommandTestBase is for its command line).
 */
record CliOutcome(int code, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  JsonNode json() throws Exception {
    return JSON.readTree(out);
  }

  /**
   * Runs {@code s3batch args...} against the job store {@code store} and the S3 server at
   * {@code endpoint}, signing as the caller (the tests' servers have no STS).
   */
  static CliOutcome run(Path store, String endpoint, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--job-store", store.toString(), "--endpoint-url", endpoint,
        "--credentials", "caller"));
    return runAsTyped(all.toArray(String[]::new));
  }

  /** Runs {@code s3batch args...} exactly as given. */
  static CliOutcome runAsTyped(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = S3Batch.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliOutcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }
}
