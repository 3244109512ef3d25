package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.DocumentedCommands;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.InfoLines;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.SparkDistribution;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The shaded jar on a Spark standalone cluster, as {@code docs/deployment.md} sets one up: its
 * commands run as written (a master and two workers in JVMs of their own, the job's files copied
 * to S3 with the AWS CLI, the README's {@code spark-submit} line), one worker dies mid-job, and
 * the job still ends with exactly one report row per manifest row and every object tagged.
 *
 * <p>Only the page's first block (download Spark, build the jar) is done the test's way: a Spark
 * assembled from Maven's jars ({@link SparkDistribution}) and the jar {@code package} built. In
 * the commands, {@code my-bucket}, {@code 7077} and {@code $HOME/.ivy2} become the test's bucket,
 * master port and Ivy directory. S3 is moto behind a proxy that slows every tagging request, so
 * that the job lasts long enough for a worker to die in it. The workers' environment holds only
 * credentials: the endpoint and region reach their executors with the job, through Spark's conf.
 */
class StandaloneClusterIT {
  private static final Path BASE = Path.of(System.getProperty("project.basedir", "."));
  private static final Path DEPLOYMENT = BASE.resolve("docs/deployment.md");
  private static final String SECTION = "## A two-worker standalone cluster, from a clean machine";
  private static final int OBJECTS = 400;
  private static final Predicate<ForwardingS3Proxy.Request> TAGGING =
      r -> r.method().equals("PUT") && r.query() != null && r.query().contains("tagging");
  private static final Pattern RECORDED = Pattern.compile(
      "Job (\\S+) recorded; if this run stops, resume it with s3batch run --job-id (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<Process> daemons = new ArrayList<>();

  @Test
  @Timeout(600) // a guard against a hang on a loaded machine, not a time limit
  void documentedClusterRunsTheJobAcrossTwoWorkersAndSurvivesOneDyingMidJob() throws Exception {
    LocalS3Server moto = LocalS3Server.moto();
    S3Client s3 = moto.client();
    String bucket = Buckets.create(s3, "cluster");
    writeJobFiles(s3, bucket);
    List<List<String>> blocks = DocumentedCommands.blocks(DEPLOYMENT, SECTION);
    assertTrue(blocks.get(0).stream().anyMatch(c -> c.startsWith("curl ")),
        "the page's first block downloads Spark: " + blocks.get(0));
    assertEquals(readmeSubmitLine(), blocks.stream().flatMap(List::stream)
        .filter(c -> c.startsWith("spark-submit ") && c.contains(" run ")).findFirst()
        .orElseThrow(), "the README's cluster command is the one the page runs");

    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(moto)) {
      proxy.delay(TAGGING, 200); // 2 executors x 4 in flight: about 10 s of tagging
      Map<String, String> substitutions = Map.of("my-bucket", bucket,
          "7077", String.valueOf(freePort()), "$HOME/.ivy2", dir.resolve("ivy").toString());
      SparkDistribution spark = SparkDistribution.assemble(dir.resolve("spark"), List.of(
          "spark.jars.ivy " + dir.resolve("ivy"),
          // small JVMs for a small machine, and a job slow enough to lose a worker in
          "spark.executor.memory 512m", "spark.driver.memory 768m",
          "spark.s3batch.partitions 4", "spark.s3batch.inFlight 4"));
      Files.createSymbolicLink(dir.resolve("s3-batch-spark.jar"),
          BASE.resolve("target/s3-batch-spark.jar").toAbsolutePath());
      Shell shell = new Shell(dir, spark, moto.endpoint(), proxy.clientSettings().endpointUrl(),
          substitutions);
      try {
        for (List<String> block : blocks.subList(1, blocks.size())) {
          for (String command : block) {
            run(shell, command, proxy);
          }
        }
      } finally {
        daemons.forEach(StandaloneClusterIT::kill);
      }
      long redone = proxy.requests().stream().filter(TAGGING).count() - OBJECTS;
      System.out.printf("standalone cluster: %d of %d objects tagged twice%n", redone, OBJECTS);
    }
    assertEveryObjectTaggedOnceInTheReport(s3, bucket);
  }

  /** Runs one documented command: a daemon in the background, anything else to its end. */
  private void run(Shell shell, String command, ForwardingS3Proxy proxy) throws Exception {
    if (command.startsWith("spark-class ")) {
      Process daemon = shell.start(command, "daemon-" + daemons.size());
      daemons.add(daemon);
      waitFor(shell.log(daemon), command.contains(".Master ")
          ? "I have been elected leader" : "Successfully registered with master", daemon);
    } else if (command.startsWith("spark-submit ") && command.contains(" run ")) {
      submitAndLoseAWorker(shell, command, proxy);
    } else if (command.startsWith("spark-submit ")) {
      Shell.Outcome listed = shell.run(command);
      assertEquals(0, listed.code(), listed.err());
      // with the jars Ivy fetched given by --jars, stdout is the command's JSON and nothing else
      JsonNode jobs = JSON.readTree(listed.out());
      assertEquals(1, jobs.get("Jobs").size(), listed.out());
    } else {
      Shell.Outcome done = shell.run(command);
      assertEquals(0, done.code(), command + ": " + done.err());
    }
  }

  private void submitAndLoseAWorker(Shell shell, String command, ForwardingS3Proxy proxy)
      throws Exception {
    Process submit = shell.start(command, "submit");
    try {
      waitUntil(() -> proxy.requests().stream().filter(TAGGING).count() > OBJECTS / 4, submit,
          shell);
      List<Process> workers = daemons.subList(1, daemons.size());
      for (Process worker : workers) {
        assertTrue(worker.descendants().anyMatch(StandaloneClusterIT::isExecutor),
            "each worker runs an executor of the job");
      }
      kill(workers.get(0)); // as its machine dies: the worker and its executor at once
      assertTrue(submit.waitFor(400, TimeUnit.SECONDS), "the run ended");
    } finally {
      kill(submit);
    }
    String out = Files.readString(shell.out(submit));
    String err = Files.readString(shell.err(submit));
    assertEquals(0, submit.exitValue(), err);
    assertTrue(err.contains("Lost executor") || err.contains("lost executor")
        || err.contains("Executor lost") || err.contains("Removed executor"),
        "the driver saw the executor go: " + err);
    // stdout: the job as describe-job prints it, after Ivy's one line (see the page)
    String json = out.lines().filter(l -> !l.startsWith(":: loading settings :: "))
        .collect(Collectors.joining("\n"));
    JsonNode job = JSON.readTree(json).get("Job");
    assertEquals("Complete", job.get("Status").asText(), out);
    assertEquals(OBJECTS, job.get("ProgressSummary").get("NumberOfTasksSucceeded").asInt());
    Matcher recorded = RECORDED.matcher(err);
    assertTrue(recorded.find(), "the job's id and how to resume it: " + err);
    assertEquals(job.get("JobId").asText(), recorded.group(1));
    assertEquals(recorded.group(1), recorded.group(2));
    assertTrue(recorded.start() < err.indexOf("Job " + recorded.group(1) + " Complete"),
        "the id came before the end: " + err);
    assertEquals(List.of(), InfoLines.notOurs(err), "Spark logs at WARN: " + err);
  }

  private void assertEveryObjectTaggedOnceInTheReport(S3Client s3, String bucket) {
    List<String> rows = new ArrayList<>();
    for (S3Object report : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("reports/"))
        .contents()) {
      if (report.key().endsWith(".csv")) {
        rows.addAll(s3.getObjectAsBytes(b -> b.bucket(bucket).key(report.key()))
            .asUtf8String().lines().toList());
      }
    }
    assertEquals(OBJECTS, rows.size(), "one report row per manifest row");
    assertEquals(OBJECTS, rows.stream().map(r -> r.split(",")[1]).distinct().count());
    assertTrue(rows.stream().allMatch(r -> r.split(",")[3].equals("succeeded")), rows.get(0));
    for (int i = 0; i < OBJECTS; i++) {
      String key = "c/" + i;
      List<Tag> tags = s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet();
      assertEquals(List.of(Tag.builder().key("cluster").value("survived").build()), tags, key);
    }
  }

  /** The objects, and the manifest and job JSON the page's {@code aws s3 cp} lines upload. */
  private void writeJobFiles(S3Client s3, String bucket) throws Exception {
    StringBuilder csv = new StringBuilder();
    ExecutorService puts = Executors.newFixedThreadPool(16);
    for (int i = 0; i < OBJECTS; i++) {
      String key = "c/" + i;
      csv.append(bucket).append(',').append(key).append('\n');
      puts.submit(() -> Buckets.put(s3, bucket, key, "x"));
    }
    puts.shutdown();
    assertTrue(puts.awaitTermination(2, TimeUnit.MINUTES));
    byte[] manifest = csv.toString().getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("manifest.csv"), manifest);
    // a single-part upload's ETag: what head-object prints for the job's Manifest.Location
    String etag = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(manifest));
    Files.writeString(dir.resolve("tagging.json"), """
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "cluster", "Value": "survived"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%1$s/manifests/tagging.csv",
                                   "ETag": "%2$s"}},
         "Report": {"Bucket": "arn:aws:s3:::%1$s", "Prefix": "reports", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 10, "RoleArn": "arn:aws:iam::123456789012:role/batch-tagging"}
        """.formatted(bucket, etag));
  }

  /** The README's {@code spark-submit} line, as one line. */
  private static String readmeSubmitLine() throws IOException {
    List<String> lines = DocumentedCommands.startingWith(BASE.resolve("README.md"),
        "spark-submit");
    assertEquals(1, lines.size(), "the README shows one spark-submit line: " + lines);
    return lines.get(0);
  }

  private static boolean isExecutor(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"))
          .contains("CoarseGrainedExecutorBackend");
    } catch (IOException e) {
      return false; // it ended
    }
  }

  /** Kills a process and every process it started, at once, as a machine's loss would. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static void waitFor(Path log, String line, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.readString(log).contains(line)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no '" + line + "' from " + process.info().commandLine()
            .orElse("the daemon") + ": " + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  private static void waitUntil(BooleanSupplier done, Process run, Shell shell)
      throws Exception {
    while (!done.getAsBoolean()) {
      if (!run.isAlive()) {
        throw new AssertionError("the run ended early: " + Files.readString(shell.out(run))
            + Files.readString(shell.err(run)));
      }
      Thread.sleep(200);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * {@code bash} in the working directory, with the distribution's {@code bin} first on the
   * PATH. The commands (the driver, the AWS CLI) see the store's endpoints as the SDK's
   * variables; the daemons, and so the executors they start, only credentials.
   */
  private static final class Shell {
    record Outcome(int code, String out, String err) {}

    private final Path dir;
    private final Map<String, String> daemonEnvironment = new HashMap<>();
    private final Map<String, String> commandEnvironment = new HashMap<>();
    private final Map<String, String> substitutions;
    private final Map<Process, String> names = new HashMap<>();

    Shell(Path dir, SparkDistribution spark, String endpoint, String s3Endpoint,
        Map<String, String> substitutions) {
      this.dir = dir;
      this.substitutions = substitutions;
      daemonEnvironment.putAll(Map.of("SPARK_HOME", spark.home().toString(),
          "PATH", spark.bin() + ":" + System.getenv("PATH"),
          "JAVA_HOME", System.getProperty("java.home"), "SPARK_LOCAL_IP", "127.0.0.1",
          "SPARK_DAEMON_MEMORY", "256m", "AWS_ACCESS_KEY_ID", "test",
          "AWS_SECRET_ACCESS_KEY", "test",
          // empty files, not the machine's: the SDKs read them, and refuse /dev/null
          "AWS_CONFIG_FILE", emptyFile(dir, "aws-config"),
          "AWS_SHARED_CREDENTIALS_FILE", emptyFile(dir, "aws-credentials")));
      commandEnvironment.putAll(daemonEnvironment);
      commandEnvironment.putAll(Map.of("AWS_REGION", "us-east-1",
          "AWS_DEFAULT_REGION", "us-east-1", "AWS_ENDPOINT_URL_S3", s3Endpoint,
          "AWS_ENDPOINT_URL_STS", endpoint));
    }

    private static String emptyFile(Path dir, String name) {
      try {
        return Files.createFile(dir.resolve(name)).toString();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    Process start(String command, String name) throws IOException {
      boolean daemon = command.startsWith("spark-class ");
      ProcessBuilder builder = builder("exec " + substituted(command),
          daemon ? daemonEnvironment : commandEnvironment)
          .redirectOutput(dir.resolve(name + ".out").toFile())
          .redirectError(dir.resolve(name + ".err").toFile());
      Process process = builder.start();
      names.put(process, name);
      return process;
    }

    Outcome run(String command) throws Exception {
      Process process = start(command, "command-" + names.size());
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        kill(process);
        throw new AssertionError(command + " did not end within 3 minutes");
      }
      return new Outcome(process.exitValue(), Files.readString(out(process)),
          Files.readString(err(process)));
    }

    Path out(Process process) {
      return dir.resolve(names.get(process) + ".out");
    }

    Path err(Process process) {
      return dir.resolve(names.get(process) + ".err");
    }

    /** Where a daemon logs: Spark's daemons log on stderr. */
    Path log(Process process) {
      return err(process);
    }

    private String substituted(String command) {
      String s = command;
      for (Map.Entry<String, String> e : substitutions.entrySet()) {
        s = s.replace(e.getKey(), e.getValue());
      }
      return s;
    }

    private ProcessBuilder builder(String script, Map<String, String> environment) {
      ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(dir.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("AWS_")
          || k.startsWith("SPARK_"));
      builder.environment().putAll(environment);
      return builder;
    }
  }
}
