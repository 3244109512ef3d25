package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.AwsCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code notebooks/explore-inventory.ipynb} run headless with nbclient, the way a user runs it:
 * against the sample data that {@code scripts/demo --serve} keeps on S3Mock, its job going
 * through {@code scripts/s3batch} with the shaded jar; then {@code notebooks/job-report.ipynb}
 * on that job's report table. Fails when a cell errors, when an output the user relies on is
 * missing, or when a notebook's counts and the job's disagree.
 */
class NotebookIT {
  private static final Path BASE = Path.of(System.getProperty("project.basedir", "."));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int OBJECTS = 400;
  /**
   * The notebook's default filter is {@code storage_class = 'STANDARD' AND encryption_status =
   * 'NOT-SSE'}; the sample's object n is STANDARD when n % 3 == 0 and NOT-SSE when n % 5 == 3,
   * so the filter selects n = 3, 18, ..., 393 of 400.
   */
  private static final int SELECTED = 27;

  /** Executes a notebook and writes it back with its outputs, also when a cell fails. */
  private static final String RUNNER = """
      import sys, nbformat
      from nbclient import NotebookClient
      source, executed, cwd = sys.argv[1:]
      nb = nbformat.read(source, as_version=4)
      try:
          NotebookClient(nb, timeout=600, kernel_name="python3",
                         resources={"metadata": {"path": cwd}}).execute()
      finally:
          nbformat.write(nb, executed)
      """;

  @Test
  void notebookRunsHeadlessOnTheDemoDataAndCountsWhatItsJobThenRuns() throws Exception {
    Path work = Files.createTempDirectory("notebook-it");
    Path demoOut = work.resolve("demo.out");
    Path demoErr = work.resolve("demo.err");
    Process demo = new ProcessBuilder("scripts/demo", "--serve", String.valueOf(OBJECTS))
        .directory(BASE.toFile()).redirectOutput(demoOut.toFile())
        .redirectError(demoErr.toFile()).start();
    try {
      Map<String, String> env = exportsOf(demo, demoOut, demoErr);
      // the demo's jobs ran, their reports stay served, and the command it prints opens one
      String openReport = Files.readAllLines(demoErr).stream().map(String::strip)
          .filter(l -> l.startsWith("aws s3 cp s3://") && l.contains("/manifest.json - "))
          .findFirst().orElseThrow(() -> new AssertionError("scripts/demo --serve says no aws"
              + " command that opens a report:\n" + readQuietly(demoErr)));
      AwsCli.Outcome opened = AwsCli.run(List.of("bash", "-c", openReport), env);
      assertTrue(opened.ok().contains("\"Format\":\"Report_CSV_20180820\""), opened.out());
      env.put("S3BATCH_PROJECT", BASE.toAbsolutePath().toString());
      env.put("S3BATCH_WORK", work.resolve("notebook").toString());
      Path executed = work.resolve("executed.ipynb");

      String failure = execute(env, "notebooks/explore-inventory.ipynb", executed,
          work.resolve("nbclient.err"));

      List<JsonNode> outputs = outputsOf(executed);
      String text = textOf(outputs);
      assertEquals("", failure, "the notebook did not run through; outputs so far:\n" + text);
      assertTrue(outputs.stream().noneMatch(o -> o.path("output_type").asText().equals("error")),
          text);
      assertTrue(text.contains("The filter selects " + SELECTED + " of " + OBJECTS
          + " objects"), text);
      assertTrue(outputs.stream().anyMatch(o -> o.path("data").has("image/png")),
          "the plot cell shows an image");
      Matcher job = Pattern.compile("Job (\\S+) Complete: (\\d+) tasks, (\\d+) succeeded, 0 "
          + "failed").matcher(text);
      assertTrue(job.find(), text);
      assertEquals(List.of(String.valueOf(SELECTED), String.valueOf(SELECTED)),
          List.of(job.group(2), job.group(3)), text);
      assertTrue(text.contains("Selected here: " + SELECTED + "; tasks the job ran: " + SELECTED
          + "; succeeded: " + SELECTED), text);
      assertTrue(text.contains("notebook-reports/job-" + job.group(1) + "/: " + SELECTED
          + " rows"), text);
      assertTrue(text.contains("'Key': 'needs-encryption', 'Value': 'true'"), text);

      Path records = work.resolve("notebook/jobs/jobs/" + job.group(1) + "/record");
      Path newest;
      try (var files = Files.list(records)) { // versions are numbered: the last is the record
        newest = files.filter(f -> !f.getFileName().toString().startsWith("."))
            .max(Path::compareTo).orElseThrow();
      }
      JsonNode record = JSON.readTree(newest.toFile());
      assertEquals(SELECTED, record.findValue("NumberOfTasksSucceeded").asInt(),
          record.toString());

      env.put("S3BATCH_JOB_ID", job.group(1));
      Path reported = work.resolve("job-report.ipynb");
      String reportFailure = execute(env, "notebooks/job-report.ipynb", reported,
          work.resolve("job-report.err"));
      List<JsonNode> reportOutputs = outputsOf(reported);
      String reportText = textOf(reportOutputs);
      assertEquals("", reportFailure, "job-report.ipynb did not run through:\n" + reportText);
      assertTrue(reportText.contains("Job " + job.group(1) + ": " + SELECTED + " tasks, "
          + SELECTED + " succeeded, 0 failed"), reportText);
      assertTrue(reportText.contains("No task failed."), reportText);
      assertTrue(reportText.contains("Tasks tried more than once: 0 of " + SELECTED),
          reportText);
      assertEquals(3, reportOutputs.stream().filter(o -> o.path("data").has("image/png"))
          .count(), "outcomes and error codes, throughput, retries: three plots");
    } finally {
      demo.descendants().forEach(ProcessHandle::destroy);
      demo.destroy();
      demo.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** The {@code export NAME=value ...} lines that {@code scripts/demo --serve} prints. */
  private static Map<String, String> exportsOf(Process demo, Path out, Path err)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(12);
    while (System.nanoTime() < deadline) {
      List<String> exports = Files.readAllLines(out).stream()
          .filter(l -> l.startsWith("export ")).toList();
      if (exports.size() == 2) {
        Map<String, String> env = new HashMap<>();
        for (String line : exports) {
          for (String assignment : line.substring("export ".length()).trim().split(" +")) {
            String[] nameValue = assignment.split("=", 2);
            env.put(nameValue[0], nameValue[1]);
          }
        }
        return env;
      }
      if (!demo.isAlive()) {
        throw new AssertionError("scripts/demo --serve exited " + demo.exitValue() + ":\n"
            + Files.readString(err));
      }
      Thread.sleep(500);
    }
    throw new AssertionError("scripts/demo --serve printed no settings within 12 minutes:\n"
        + Files.readString(err));
  }

  /** Runs {@code notebook}; answers "" when it ran through, else what nbclient said. */
  private static String execute(Map<String, String> env, String notebook, Path executed,
      Path err) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("python3", "-c", RUNNER, notebook,
        executed.toString(),
        BASE.resolve("notebooks").toString())
        .directory(BASE.toFile()).redirectErrorStream(true).redirectOutput(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(12, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      return "the notebook did not finish within 12 minutes";
    }
    String said = Files.readString(err, StandardCharsets.UTF_8);
    if (p.exitValue() != 0 && said.contains("ModuleNotFoundError")) {
      return said + "\nInstall the notebook's packages: python3 -m pip install -r "
          + "notebooks/requirements.txt (scripts/test does it)";
    }
    return p.exitValue() == 0 ? "" : said;
  }

  private static List<JsonNode> outputsOf(Path executed) throws IOException {
    List<JsonNode> outputs = new ArrayList<>();
    if (!Files.exists(executed)) {
      return outputs;
    }
    for (JsonNode cell : JSON.readTree(executed.toFile()).get("cells")) {
      cell.path("outputs").forEach(outputs::add);
    }
    return outputs;
  }

  /** Printed text and the plain-text form of displayed values, as a reader sees them. */
  private static String textOf(List<JsonNode> outputs) {
    StringBuilder text = new StringBuilder();
    for (JsonNode o : outputs) {
      List.of(o.path("text"), o.path("data").path("text/plain"), o.path("evalue"))
          .forEach(part -> {
            if (part.isArray()) {
              part.forEach(line -> text.append(line.asText()));
            } else if (part.isTextual()) {
              text.append(part.asText());
            }
          });
      text.append('\n');
    }
    return text.toString();
  }
}
