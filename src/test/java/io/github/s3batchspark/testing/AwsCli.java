package io.github.s3batchspark.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The AWS CLI ({@code aws}) and boto3 ({@code python3}) as a user runs them, against a local
 * moto_server: what proves that a file we ship is taken by the command our docs print. Both get
 * the tests' credentials and region in their environment, never the machine's.
 */
public final class AwsCli {
  private AwsCli() {}

  /** What a process printed and returned. */
  public record Outcome(int code, String out, String err) {
    /** The outcome's stdout, failing with everything it printed when the exit code is not 0. */
    public String ok() {
      if (code != 0) {
        throw new AssertionError("exit " + code + "\nstdout: " + out + "\nstderr: " + err);
      }
      return out;
    }
  }

  /** {@code aws args... --endpoint-url endpoint}. */
  public static Outcome aws(String endpoint, String... args) {
    List<String> command = new ArrayList<>(List.of("aws"));
    command.addAll(List.of(args));
    command.addAll(List.of("--endpoint-url", endpoint, "--output", "json"));
    return run(command, Map.of());
  }

  /** {@code python3 -c script args...} with boto3 pointed at {@code endpoint}. */
  public static Outcome python(String endpoint, String script, String... args) {
    List<String> command = new ArrayList<>(List.of("python3", "-c", script));
    command.addAll(List.of(args));
    return run(command, Map.of("AWS_ENDPOINT_URL", endpoint));
  }

  /** Any command (a script of ours), with the tests' credentials and {@code env}. */
  public static Outcome run(List<String> command, Map<String, String> env) {
    try {
      File out = File.createTempFile("aws-cli", ".out");
      File err = File.createTempFile("aws-cli", ".err");
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
          .directory(Path.of(System.getProperty("project.basedir", ".")).toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(k -> k.startsWith("AWS_"));
      environment.putAll(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
          "AWS_DEFAULT_REGION", "us-east-1", "AWS_REGION", "us-east-1",
          "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
      environment.putAll(env);
      Process p = builder.start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(command.get(0) + " did not end within 3 minutes: " + command);
      }
      return new Outcome(p.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " (the tests need the AWS "
          + "CLI and python3 with boto3 on the PATH): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(File f) throws IOException {
    try {
      return Files.readString(f.toPath(), StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(f.toPath());
    }
  }
}
