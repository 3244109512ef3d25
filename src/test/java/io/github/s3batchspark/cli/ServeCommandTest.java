package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code s3batch serve}: starts the API where it says, refuses to start open, stops on SIGTERM. */
class ServeCommandTest {
  private static final Pattern LISTENING =
      Pattern.compile("s3batch API listening on (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;

  @Test
  void serveAnswersOnThePrintedUrlAndStopsCleanlyOnSigterm() throws Exception {
    Path keys = dir.resolve("keys");
    Files.writeString(keys, "# id secret\nAKIASERVETEST0000001 serve-secret\n");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
        "bin", "java").toString()));
    // the module openings Spark needs, as this JVM was given them
    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens")).forEach(command::add);
    command.addAll(List.of("-Dspark.master=local[1]", "-Dspark.ui.enabled=false",
        "-Dspark.driver.host=127.0.0.1", "-cp", System.getProperty("java.class.path"),
        S3Batch.class.getName(), "serve", "--account-id", "123456789012", "--access-keys",
        keys.toString(), "--job-store", dir.resolve("store").toString(), "--port", "0"));
    ProcessBuilder pb = new ProcessBuilder(command);
    Process serve = pb.start();
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(serve.getErrorStream(),
          StandardCharsets.UTF_8));
      List<String> said = new ArrayList<>();
      Matcher url = null;
      String line;
      while (url == null && (line = err.readLine()) != null) {
        said.add(line);
        Matcher m = LISTENING.matcher(line);
        url = m.find() ? m : null;
      }
      assertTrue(url != null, "serve never said where it listens: " + said);

      HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(url.group(1) + "/v20180820/jobs"))
          .header("x-amz-account-id", "123456789012").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(403, unsigned.statusCode());
      assertTrue(unsigned.body().contains("<Code>AccessDenied</Code>"), unsigned.body());

      serve.toHandle().destroy(); // SIGTERM, leaving the pipes open (Process.destroy closes them)
      String rest = err.lines().collect(Collectors.joining("\n")); // up to the process's end
      assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
      assertTrue(rest.contains("s3batch API stopped"), rest);
      assertTrue(Pattern.compile("s3batch console: http://127\\.0\\.0\\.1:\\d+/console/\\?token="
          + "[A-Za-z0-9_-]{43}\n").matcher(rest + "\n").find(), rest);
      assertTrue(String.join("\n", said).contains("running up to 2 jobs at once")
          || rest.contains("running up to 2 jobs at once"), said + rest);
      assertFalse(rest.contains("\tat "), "a stack trace: " + rest);
    } finally {
      serve.destroyForcibly();
    }
  }

  @Test
  void serveWithoutAnAccountOrKeysRefusesToStartInOneLine() throws Exception {
    Path keys = dir.resolve("empty-keys");
    Files.writeString(keys, "# no key yet\n");
    Path store = dir.resolve("store");

    CliOutcome noAccount = CliOutcome.runAsTyped("serve", "--job-store", store.toString(),
        "--access-keys", keys.toString());
    CliOutcome noKeys = CliOutcome.runAsTyped("serve", "--job-store", store.toString(),
        "--account-id", "123456789012", "--access-keys", keys.toString());
    CliOutcome badAccount = CliOutcome.runAsTyped("serve", "--job-store", store.toString(),
        "--account-id", "12345", "--access-keys", keys.toString());

    assertEquals(2, noAccount.code());
    assertTrue(noAccount.err().contains("--account-id"), noAccount.err());
    assertEquals(2, noKeys.code());
    assertTrue(noKeys.err().contains(keys + " holds no key"), noKeys.err());
    assertEquals(2, badAccount.code());
    for (CliOutcome o : List.of(noAccount, noKeys, badAccount)) {
      assertEquals(1, o.err().strip().lines().count(), o.err());
    }
  }
}
