package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * args4j builds each verb by reflection from outside this package, so a verb class that is not
 * public fails every command line that names it ("Failed to instantiate @SubCommand").
 */
class VerbInstantiationTest {

  @ParameterizedTest
  @ValueSource(strings = {"create-job", "run", "describe-job", "list-jobs", "update-job-status",
      "update-job-priority"})
  void everyVerbIsBuiltByTheCommandLineParser(String verb) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = S3Batch.run(new String[] {verb, "--help"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(0, exit, () -> err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--"),
        () -> out.toString(StandardCharsets.UTF_8));
  }
}
