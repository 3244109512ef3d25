package io.github.s3batchspark.bench;

import io.github.s3batchspark.cli.S3Batch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Contender (a): the project's job through its normal entry point, {@code s3batch run}, on the
 * Spark session of this JVM: a CSV manifest read from the store, the execution stage, and an
 * AllTasks completion report written back to the store. Timed end to end.
 */
final class ProjectJob {
  static final String MANIFEST_BUCKET = "bench-manifests";
  static final String REPORT_BUCKET = "bench-reports";
  private static final Pattern JOB_ID = Pattern.compile("\"JobId\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern SUCCEEDED =
      Pattern.compile("\"NumberOfTasksSucceeded\"\\s*:\\s*(\\d+)");

  private final String endpoint;
  private final Path workDir;
  private final List<String> extraArgs;

  ProjectJob(String endpoint, Path workDir, List<String> extraArgs) {
    this.endpoint = endpoint;
    this.workDir = workDir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** How one {@code s3batch run} ended: its exit code, DescribeJob output and last error line. */
  record JobOutcome(int exit, String describeJob, String lastErrorLine, double seconds) {

    String jobId() {
      Matcher m = JOB_ID.matcher(describeJob);
      return m.find() ? m.group(1) : null;
    }

    long succeeded() {
      Matcher m = SUCCEEDED.matcher(describeJob);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
  }

  Measurement run(Workload workload, VirtualObjects objects, int tasks, String label,
      LoadS3Server server) {
    var before = server.stats().snapshot();
    server.stats().takeMostPending();
    JobOutcome outcome;
    try {
      outcome = runJob(workload, objects, tasks, label, server);
    } catch (IOException e) {
      return Measurement.failed(label, "cannot write the job spec: " + e.getMessage());
    }
    if (outcome.exit() != 0) {
      return Measurement.failed(label, "s3batch run exited " + outcome.exit() + ": "
          + outcome.lastErrorLine());
    }
    long seen = workload.done(server, objects, label);
    return new Measurement(label, tasks,
        seen == Workload.UNOBSERVABLE ? outcome.succeeded() : seen, outcome.seconds(),
        server.stats().phase(before), null, outcome.jobId());
  }

  /** Writes the manifest and the job spec, then runs {@code s3batch run} once, timed. */
  JobOutcome runJob(Workload workload, VirtualObjects objects, int tasks, String label,
      LoadS3Server server) throws IOException {
    List<String> args = runArgs(workload, writeJob(workload, objects, tasks, label, server));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long started = System.nanoTime();
    int exit;
    // The job's messages still reach the terminal; a copy names the failure in the results.
    try (PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new Tee(err, System.err), true,
            StandardCharsets.UTF_8)) {
      exit = S3Batch.run(args.toArray(String[]::new), stdout, stderr);
    }
    return new JobOutcome(exit, out.toString(StandardCharsets.UTF_8),
        lastLine(err.toString(StandardCharsets.UTF_8)), (System.nanoTime() - started) / 1e9);
  }

  /**
   * Puts the CSV manifest of the first {@code tasks} objects in the store and writes the
   * CreateJob request that runs the workload on it; returns the request's file.
   */
  Path writeJob(Workload workload, VirtualObjects objects, int tasks, String label,
      LoadS3Server server) throws IOException {
    String manifestKey = workload.name() + "/" + label + "-manifest.csv";
    String etag = server.putObject(MANIFEST_BUCKET, manifestKey, csvManifest(objects, tasks));
    server.createBucket(REPORT_BUCKET);
    Files.createDirectories(workDir);
    return Files.writeString(workDir.resolve(label + "-job.json"),
        createJobRequest(workload, label, csvManifestMember(manifestKey, etag)));
  }

  /** The arguments of {@code s3batch run} on the request in {@code job}. */
  List<String> runArgs(Workload workload, Path job) {
    List<String> args = new ArrayList<>(List.of("run", "--cli-input-json",
        "file://" + job.toAbsolutePath(), "--endpoint-url", endpoint, "--region", "us-east-1",
        "--credentials", "caller", "--job-store", jobStore().toAbsolutePath().toString()));
    args.addAll(workload.runArgs());
    args.addAll(extraArgs);
    return args;
  }

  /** Where the jobs' records and results live ({@code --job-store}). */
  Path jobStore() {
    return workDir.resolve("jobs");
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** Writes to two streams; closing it leaves the second (the process's stderr) open. */
  private static final class Tee extends OutputStream {
    private final OutputStream copy;
    private final OutputStream through;

    Tee(OutputStream copy, OutputStream through) {
      this.copy = copy;
      this.through = through;
    }

    @Override
    public void write(int b) throws IOException {
      copy.write(b);
      through.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      copy.write(b, off, len);
      through.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      through.flush();
    }
  }

  /** An S3 Batch Operations CSV manifest: bucket, URL-encoded key (ours need no encoding). */
  static byte[] csvManifest(VirtualObjects objects, int tasks) {
    ByteArrayOutputStream csv = new ByteArrayOutputStream(tasks * 40);
    byte[] bucket = (objects.bucket() + ",").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < tasks; i++) {
      csv.writeBytes(bucket);
      csv.writeBytes((objects.key(i) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return csv.toByteArray();
  }

  /** The CreateJob {@code Manifest} member of a CSV manifest in {@link #MANIFEST_BUCKET}. */
  static String csvManifestMember(String manifestKey, String etag) {
    return """
        {
            "Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
            "Location": {"ObjectArn": "arn:aws:s3:::%s/%s", "ETag": "%s"}
          }""".formatted(MANIFEST_BUCKET, manifestKey, etag.replace("\"", ""));
  }

  /** The CreateJob request of the workload on this manifest, with an AllTasks report. */
  static String createJobRequest(Workload workload, String label, String manifest) {
    return createJobRequest(workload, label, "Manifest", manifest);
  }

  /**
   * The CreateJob request of the workload on the objects that its member {@code source} names
   * ({@code Manifest}, or {@code ManifestGenerator}), with an AllTasks report.
   */
  static String createJobRequest(Workload workload, String label, String source,
      String sourceJson) {
    return """
        {
          "AccountId": "123456789012",
          "ConfirmationRequired": false,
          "Operation": %s,
          "%s": %s,
          "Report": {
            "Bucket": "arn:aws:s3:::%s",
            "Prefix": "%s",
            "Format": "Report_CSV_20180820",
            "Enabled": true,
            "ReportScope": "AllTasks"
          },
          "Priority": 10,
          "RoleArn": "arn:aws:iam::123456789012:role/bench",
          "Description": "benchmark: %s",
          "ClientRequestToken": "bench-%s-%d"
        }
        """.formatted(workload.operationJson(label), source, sourceJson, REPORT_BUCKET,
        workload.name(), workload.name(), workload.name(), System.currentTimeMillis());
  }
}
