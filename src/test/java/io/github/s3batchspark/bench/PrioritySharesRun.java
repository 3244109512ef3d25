package io.github.s3batchspark.bench;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.Owner;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.service.JobService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The priority-shares run: two tagging jobs of priorities 90 and 10 run side by side in one job
 * service (what {@code serve} runs) against the load server's latency. Every second it counts
 * each job's tagged objects; {@code swapAfterSeconds} after both have begun it swaps the two
 * priorities, as UpdateJobPriority does. It reports the ratio of the jobs' objects/s while both
 * run before the swap (the target: at least 3), and how many seconds after the swap the
 * formerly low job first runs faster than the other, two samples in a row (target: at most 15).
 */
final class PrioritySharesRun {
  private static final int HIGH = 90;
  private static final int LOW = 10;

  private final LoadS3Server server;
  private final int latencyMs;
  private final int swapAfterSeconds;
  private final Duration limit;

  PrioritySharesRun(LoadS3Server server, int latencyMs, int swapAfterSeconds, Duration limit) {
    this.server = server;
    this.latencyMs = latencyMs;
    this.swapAfterSeconds = swapAfterSeconds;
    this.limit = limit;
  }

  /** One second's counts of both jobs' objects done so far. */
  private record Sample(double at, long a, long b) {}

  Map<String, Object> run(SparkSession spark, int tasksPerJob, Path work) throws Exception {
    VirtualObjects a = server.seed("bench-priority-a", "photos/", 64, tasksPerJob, 1024);
    VirtualObjects b = server.seed("bench-priority-b", "photos/", 64, tasksPerJob, 1024);
    server.settings(LoadSettings.none().withLatency(latencyMs));
    TaggingWorkload tagging = new TaggingWorkload();
    JobStore store = HadoopJobStore.open(Files.createDirectories(work.resolve("jobs"))
        .toString(), new Configuration(), null);
    String first = create(store, tagging, a, "priority-a", HIGH);
    String second = create(store, tagging, b, "priority-b", LOW);
    System.err.printf("bench: priority shares: two jobs of %,d tagging tasks, priorities %d "
        + "and %d, %d ms added latency; the priorities swap after %d s%n", tasksPerJob, HIGH,
        LOW, latencyMs, swapAfterSeconds);

    ClientSettings clients = ClientSettings.defaults().withEndpoint(server.endpoint())
        .withRegion("us-east-1").withCallerCredentials();
    List<Sample> samples = new ArrayList<>();
    long started = System.nanoTime();
    Double swappedAt = null;
    Double bothSince = null; // Spark takes a while to start both jobs, more on a busy machine
    try (JobService service = JobService.start(spark, store,
        RunSettings.defaults().withClients(clients), 2, Duration.ofSeconds(1))) {
      while (true) {
        Thread.sleep(1000);
        double now = (System.nanoTime() - started) / 1e9;
        Sample s = new Sample(now, tagging.done(server, a, "priority-a"),
            tagging.done(server, b, "priority-b"));
        samples.add(s);
        System.err.printf("bench: %5.1f s  priority-a %,8d  priority-b %,8d%n", now, s.a(),
            s.b());
        if (bothSince == null && progressing(samples, 2)) {
          bothSince = now;
        }
        if (swappedAt == null && bothSince != null && now - bothSince >= swapAfterSeconds) {
          store.update(first, Owner.USER, r -> r.withRequestedPriority(LOW));
          store.update(second, Owner.USER, r -> r.withRequestedPriority(HIGH));
          swappedAt = now;
          System.err.printf("bench: %5.1f s  priorities swapped%n", now);
        }
        if (s.a() >= tasksPerJob || s.b() >= tasksPerJob
            || now > limit.toSeconds()) {
          break; // one job alone no longer shares anything
        }
      }
    }
    return figures(samples, bothSince, swappedAt, tasksPerJob);
  }

  /**
   * Whether both jobs did objects in each of the last {@code seconds} samples: past their
   * manifests and their first waves (which stop at 1,000 tasks until they commit).
   */
  private static boolean progressing(List<Sample> samples, int seconds) {
    if (samples.size() <= seconds) {
      return false;
    }
    for (int i = samples.size() - seconds; i < samples.size(); i++) {
      Sample prev = samples.get(i - 1);
      Sample s = samples.get(i);
      if (s.a() <= prev.a() || s.b() <= prev.b()) {
        return false;
      }
    }
    return true;
  }

  private Map<String, Object> figures(List<Sample> samples, Double bothSince, Double swappedAt,
      int tasks) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("workload", "priority-shares");
    json.put("tasks_per_job", tasks);
    json.put("latency_ms", latencyMs);
    json.put("swap_after_s", swappedAt == null ? null : round(swappedAt));
    if (bothSince == null || swappedAt == null) {
      json.put("error", "the two jobs did not both run until the swap: give more --tasks or "
          + "--time-limit-s");
      return json;
    }
    json.put("both_running_after_s", round(bothSince));
    Sample from = at(samples, bothSince);
    Sample to = at(samples, swappedAt);
    double seconds = to.at() - from.at();
    json.put("before_swap_objects_per_s_high", round((to.a() - from.a()) / seconds));
    json.put("before_swap_objects_per_s_low", round((to.b() - from.b()) / seconds));
    json.put("ratio_before_swap", round((double) (to.a() - from.a())
        / Math.max(1, to.b() - from.b())));
    json.put("seconds_until_swap_shows", secondsUntilSwapShows(samples, swappedAt));
    Sample last = samples.get(samples.size() - 1);
    Sample settled = at(samples, Math.min(last.at(), swappedAt + 15));
    json.put("ratio_after_swap_last_seconds", settled == last ? null : round(
        (double) (last.b() - settled.b()) / Math.max(1, last.a()
            - settled.a())));
    json.put("cores", Runtime.getRuntime().availableProcessors());
    return json;
  }

  /**
   * Seconds from the swap to the first second-long interval, of two in a row, in which the job
   * now at 90 did more than the one now at 10; null when that never happened.
   */
  private static Double secondsUntilSwapShows(List<Sample> samples, double swappedAt) {
    int streak = 0;
    for (int i = 1; i < samples.size(); i++) {
      Sample prev = samples.get(i - 1);
      Sample s = samples.get(i);
      if (prev.at() < swappedAt) {
        continue;
      }
      boolean shows = s.b() - prev.b() > s.a() - prev.a();
      streak = shows ? streak + 1 : 0;
      if (streak == 2) {
        return round(samples.get(i - 1).at() - swappedAt);
      }
    }
    return null;
  }

  /** The first sample at or after {@code second}, else the last. */
  private static Sample at(List<Sample> samples, double second) {
    return samples.stream().filter(s -> s.at() >= second).findFirst()
        .orElse(samples.get(samples.size() - 1));
  }

  private String create(JobStore store, TaggingWorkload tagging, VirtualObjects objects,
      String label, int priority) {
    String manifestKey = "priority/" + label + "-manifest.csv";
    String etag = server.putObject(ProjectJob.MANIFEST_BUCKET, manifestKey,
        ProjectJob.csvManifest(objects, objects.count()));
    server.createBucket(ProjectJob.REPORT_BUCKET);
    String json = ProjectJob.createJobRequest(tagging, label,
        ProjectJob.csvManifestMember(manifestKey, etag))
        .replace("\"Priority\": 10", "\"Priority\": " + priority)
        .replace("\"ClientRequestToken\": \"bench-", "\"ClientRequestToken\": \"" + label + "-");
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(json));
    return job.jobId();
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
