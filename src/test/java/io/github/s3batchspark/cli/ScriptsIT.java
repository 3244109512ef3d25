package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scripts a user runs, as separate processes with the shaded jar (after {@code package}):
 * the README's first command ({@code scripts/demo}) and {@code scripts/s3batch}.
 */
class ScriptsIT {
  private static final Path BASE = Path.of(System.getProperty("project.basedir", "."));

  record Run(int code, String out, String err) {}

  private static Run run(List<String> command, int timeoutMinutes) throws Exception {
    File out = File.createTempFile("script", ".out");
    File err = File.createTempFile("script", ".err");
    Process p = new ProcessBuilder(command).directory(BASE.toFile())
        .redirectOutput(out).redirectError(err).start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(command + " did not end within " + timeoutMinutes + " minutes");
    }
    return new Run(p.exitValue(), read(out), read(err));
  }

  private static String read(File f) throws IOException {
    return Files.readString(f.toPath(), StandardCharsets.UTF_8);
  }

  @Test
  void demoRunsTheTaggingAndCopyJobsToCompleteAndPrintsTheirReports() throws Exception {
    Run demo = run(List.of("scripts/demo", "400"), 10);

    assertEquals(0, demo.code(), demo.err());
    Matcher summaries = Pattern.compile(
        "Job \\S+ Complete: (\\d+) tasks, (\\d+) succeeded, 0 failed in [0-9.]+ s "
            + "\\([0-9,]+ objects/s\\)").matcher(demo.err());
    int jobs = 0;
    while (summaries.find()) {
      jobs++;
      assertEquals(summaries.group(1), summaries.group(2));
      assertTrue(Integer.parseInt(summaries.group(1)) > 0, summaries.group());
    }
    assertEquals(2, jobs, demo.err());
    assertTrue(demo.err().contains("Completion report: s3://demo-reports/batch-reports/job-"),
        demo.err());
    JsonNode listed = new ObjectMapper().readTree(demo.out()).get("Jobs");
    assertEquals(2, listed.size());
  }

  @Test
  void s3batchScriptAnswersHelpAndRefusesABadJobWithExitTwo() throws Exception {
    Run help = run(List.of("scripts/s3batch", "run", "--help"), 3);
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().contains("--cli-input-json"), help.out());

    Path bad = Files.createTempFile("bad-job", ".json");
    Files.writeString(bad, "{\"AccountId\": \"123456789012\", \"Operation\": "
        + "{\"LambdaInvoke\": {\"FunctionArn\": \"arn:aws:lambda:us-east-1:1:function:f\"}}}");
    Run refused = run(List.of("scripts/s3batch", "create-job", "--cli-input-json",
        "file://" + bad, "--job-store", Files.createTempDirectory("store").toString()), 3);
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().startsWith("s3batch: "), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
  }
}
