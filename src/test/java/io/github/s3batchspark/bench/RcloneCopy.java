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
 * Contender (d): rclone from the OS packages, copying the copy workload's source objects into
 * the bucket of its label with the flags a user tuning it for many small server-side copies
 * would choose: the list of keys given ({@code --files-from}, {@code --no-traverse}), no check
 * of the destination nor HEAD of each object, no checksum, 256 transfers. Its remote is set by
 * environment variables ({@code RCLONE_CONFIG_BENCH_*}) so that no user's rclone.conf is read or
 * written. Its CPU is the rclone process's ({@link TimedProcess}); the bench JVM's CPU meanwhile,
 * the load server's, is kept apart ({@link Measurement#serverCpuSeconds}).
 */
final class RcloneCopy {
  static final String REMOTE = "bench";
  /** The flags of issue 14's comparison, exactly. */
  static final List<String> FLAGS = List.of("--no-traverse", "--transfers", "256",
      "--checkers", "256", "--no-check-dest", "--s3-no-head-object", "--ignore-checksum");

  /**
   * rclone 1.60's S3 SDK refuses any custom CA bundle ("unsupported transport") and the load
   * server speaks plain HTTP: a bundle set for other tools must not reach it.
   */
  static final List<String> UNSET = List.of("AWS_CA_BUNDLE");

  private final String endpoint;
  private final Path workDir;

  RcloneCopy(String endpoint, Path workDir) {
    this.endpoint = endpoint;
    this.workDir = workDir;
  }

  /** Copies the first {@code tasks} objects to {@code bench-copy-LABEL}, counted in the store. */
  Measurement run(CopyWorkload workload, VirtualObjects objects, int tasks, String label,
      LoadS3Server server, Duration limit) {
    try {
      Files.createDirectories(workDir);
      Path list = workDir.resolve(label + "-files-from.txt");
      Files.write(list, objects.keys(0, tasks), StandardCharsets.UTF_8);
      var before = server.stats().snapshot();
      server.stats().takeMostPending();
      long serverCpu = Bench.cpuNanos();
      TimedProcess.Outcome outcome = TimedProcess.run(command(objects.bucket(),
              CopyWorkload.target(label), list), environment(), UNSET,
          workDir.resolve(label + ".out"), workDir.resolve(label + ".err"), limit);
      double serverCpuSeconds = (Bench.cpuNanos() - serverCpu) / 1e9;
      Map<String, Long> seen = server.stats().phase(before);
      if (outcome.exit() != 0) {
        return Measurement.failed(label, "rclone exited " + outcome.exit() + ": "
            + outcome.lastErrorLine());
      }
      return new Measurement(label, tasks, workload.done(server, objects, label),
          outcome.seconds(), seen, null, null, outcome.cpuSeconds())
          .withServerCpuSeconds(serverCpuSeconds);
    } catch (IOException e) {
      return Measurement.failed(label, "rclone could not run: " + e.getMessage()
          + " (scripts/bench installs it with apt-get install rclone)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Measurement.failed(label, "interrupted");
    }
  }

  /** What rclone sent besides its copies: a few requests to start, none per object. */
  static long otherRequests(Measurement m) {
    return m.server().getOrDefault("requests", 0L)
        - m.server().getOrDefault("action.CopyObject", 0L);
  }

  List<String> command(String sourceBucket, String targetBucket, Path list) {
    List<String> command = new ArrayList<>(List.of("rclone", "copy", "--files-from",
        list.toString()));
    command.addAll(FLAGS);
    command.add(REMOTE + ":" + sourceBucket);
    command.add(REMOTE + ":" + targetBucket);
    return command;
  }

  /** The remote {@code bench:}, an S3 endpoint addressed by path, with keys the server takes. */
  Map<String, String> environment() {
    String prefix = "RCLONE_CONFIG_" + REMOTE.toUpperCase() + "_";
    return Map.of(prefix + "TYPE", "s3", prefix + "PROVIDER", "Other",
        prefix + "ENDPOINT", endpoint, prefix + "FORCE_PATH_STYLE", "true",
        prefix + "REGION", "us-east-1",
        prefix + "ACCESS_KEY_ID", BenchCredentials.ACCESS_KEY,
        prefix + "SECRET_ACCESS_KEY", BenchCredentials.SECRET_KEY);
  }
}
