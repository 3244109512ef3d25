package io.github.s3batchspark.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code s3batch ARGS} in a JVM of its own, as a user runs it: the test's class path, the module
 * openings Spark needs (as this JVM was given them), the local servers' test credentials, and
 * the given system properties ({@code spark.*} ones reach Spark's conf).
 */
final class ChildRun {
  private ChildRun() {}

  static Process start(Path log, List<String> systemProperties, List<String> args)
      throws java.io.IOException {
    return start(log, Map.of(), systemProperties, args);
  }

  /** As {@link #start(Path, List, List)}, with {@code environment} added to this one's. */
  static Process start(Path log, Map<String, String> environment,
      List<String> systemProperties, List<String> args) throws java.io.IOException {
    ProcessBuilder builder = new ProcessBuilder(command(systemProperties, args))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** As {@link #start(Path, List, List)}, with stdout and stderr kept apart. */
  static Process start(Path out, Path err, List<String> systemProperties, List<String> args)
      throws java.io.IOException {
    return new ProcessBuilder(command(systemProperties, args)).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
  }

  private static List<String> command(List<String> systemProperties, List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    command.addAll(moduleOpenings());
    command.addAll(List.of("-Daws.accessKeyId=test", "-Daws.secretAccessKey=test",
        "-Daws.region=us-east-1", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.executor.heartbeatInterval=2s"));
    systemProperties.forEach(p -> command.add("-D" + p));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        S3Batch.class.getName()));
    command.addAll(args);
    return command;
  }

  /** The module openings Spark needs, as this JVM was given them. */
  static List<String> moduleOpenings() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens")).toList();
  }
}
