package io.github.s3batchspark.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cold run's contenders ({@code scripts/bench --cold}): each a fresh process timed whole, as
 * a user runs it, with no warm-up: (a) {@code scripts/s3batch run --cli-input-json} on the
 * shaded jar (scripts/bench packages it first), (c) the bare async client in a fresh JVM
 * ({@link ColdBareClient}), (d) rclone ({@link RcloneCopy}). Each one's CPU is its own process's;
 * the bench JVM's meanwhile is the load server's, kept apart.
 */
final class ColdContenders {
  private final LoadS3Server server;
  private final Path workDir;
  private final Duration limit;

  ColdContenders(LoadS3Server server, Path workDir, Duration limit) {
    this.server = server;
    this.workDir = workDir.toAbsolutePath();
    this.limit = limit;
  }

  /**
   * (a) {@code scripts/s3batch run} in its own JVM, as in the memory run. The jar's first run
   * makes the class-data archive that every later run maps (scripts/s3batch); when this jar has
   * none yet, a small untimed job makes it first, so that the timed run is what a user's runs
   * are from the second on.
   */
  Measurement ours(Workload workload, VirtualObjects objects, int tasks, List<String> oursArgs) {
    Path jar = Path.of("target", "s3-batch-spark.jar");
    Path archive = Path.of("target", "s3batch-classes.jsa");
    try {
      if (!Files.exists(archive)
          || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) <= 0) {
        Measurement first = run("ours-warmup", workload, objects, Math.min(tasks, 2_000),
            oursArgs);
        System.err.printf("bench: the jar's first run (it makes the class-data archive): %s%n",
            first.ran() ? String.format("%.1f s", first.seconds()) : first.error());
      }
    } catch (IOException e) {
      return Measurement.failed("ours", "cannot read " + jar + ": " + e.getMessage());
    }
    return run("ours", workload, objects, tasks, oursArgs);
  }

  private Measurement run(String label, Workload workload, VirtualObjects objects, int tasks,
      List<String> oursArgs) {
    ProjectJob job = new ProjectJob(server.endpoint(), workDir, oursArgs);
    try {
      List<String> command = new ArrayList<>(List.of("scripts/s3batch"));
      command.addAll(job.runArgs(workload, job.writeJob(workload, objects, tasks, label, server)));
      return timed(label, command, BenchCredentials.environment(), workload, objects, tasks,
          out -> {
            var described = new ProjectJob.JobOutcome(0, out, "", 0);
            return new Report(described.jobId(), described.succeeded());
          });
    } catch (IOException e) {
      return Measurement.failed(label, "cannot write the job spec: " + e.getMessage());
    }
  }

  /** (c) the bare async client, a fresh JVM on this JVM's class path. */
  Measurement bare(Workload workload, VirtualObjects objects, int tasks, int window,
      int objectSize) {
    String label = "bare";
    try {
      Files.createDirectories(workDir);
      Path keys = Files.write(workDir.resolve(label + "-keys.txt"), objects.keys(0, tasks),
          StandardCharsets.UTF_8);
      List<String> command = List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), ColdBareClient.class.getName(),
          server.endpoint(), workload.name(), String.valueOf(objectSize), String.valueOf(window),
          objects.bucket(), keys.toString(), label, String.valueOf(limit.toSeconds()));
      return timed(label, command, BenchCredentials.environment(), workload, objects, tasks,
          // exit 0: every request succeeded
          out -> new Report(null, tasks));
    } catch (IOException e) {
      return Measurement.failed(label, "cannot write the keys: " + e.getMessage());
    }
  }

  /**
   * What a process that exited 0 says of itself: the project's job id, and how many tasks
   * succeeded (taken only for work that leaves no trace in the store).
   */
  private record Report(String jobId, long succeeded) {}

  /** Reads a finished process's {@link Report} from its stdout. */
  private interface ReportReader {
    Report read(String stdout);
  }

  private Measurement timed(String label, List<String> command, Map<String, String> env,
      Workload workload, VirtualObjects objects, int tasks, ReportReader reader) {
    Path out = workDir.resolve("cold-" + label + ".out");
    Path err = workDir.resolve("cold-" + label + ".err");
    var before = server.stats().snapshot();
    server.stats().takeMostPending();
    long serverCpu = Bench.cpuNanos();
    TimedProcess.Outcome outcome;
    try {
      outcome = TimedProcess.run(command, env, List.of(), out, err, limit);
    } catch (IOException e) {
      return Measurement.failed(label, "could not start " + command.get(0) + ": "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Measurement.failed(label, "interrupted");
    }
    double serverCpuSeconds = (Bench.cpuNanos() - serverCpu) / 1e9;
    Map<String, Long> seen = server.stats().phase(before);
    if (outcome.exit() != 0) {
      return Measurement.failed(label, command.get(0) + " exited " + outcome.exit() + ": "
          + outcome.lastErrorLine() + " (its output: " + err + ")");
    }
    String stdout;
    try {
      stdout = Files.readString(out);
    } catch (IOException e) {
      stdout = "";
    }
    Report report = reader.read(stdout);
    long done = workload.done(server, objects, label);
    return new Measurement(label, tasks, done == Workload.UNOBSERVABLE ? report.succeeded() : done,
        outcome.seconds(), seen, null, report.jobId(), outcome.cpuSeconds())
        .withServerCpuSeconds(serverCpuSeconds);
  }
}
