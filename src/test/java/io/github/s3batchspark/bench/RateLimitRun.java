package io.github.s3batchspark.bench;

import io.github.s3batchspark.execution.PrefixConcurrency;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The rate-limit run: the project's tagging job against S3's per-prefix request rate (3,500
 * writes per second per prefix, times a scale for a small machine), with a manifest sorted by
 * key, so that every prefix's objects come in one run. It shows how close the job gets to the
 * rate S3 allows while being refused few requests, and, sampled every second, how the limits
 * of the prefixes move: down when SlowDown arrives, up when it stops ({@code --lift-after-s}
 * switches the store's limit off mid-run, as when S3 has split a hot prefix).
 */
final class RateLimitRun {
  private static final String BUCKET = "bench-rate-limit";
  private static final String ACTION = "PutObjectTagging";
  private static final String WARMUP_BUCKET = "bench-rate-limit-warmup";

  private final LoadS3Server server;
  private final int prefixes;
  private final double scale;
  private final int latencyMs;
  private final int liftAfterSeconds;

  RateLimitRun(LoadS3Server server, int prefixes, double scale, int latencyMs,
      int liftAfterSeconds) {
    this.server = server;
    this.prefixes = prefixes;
    this.scale = scale;
    this.latencyMs = latencyMs;
    this.liftAfterSeconds = liftAfterSeconds;
  }

  /** The limit S3 would enforce on the tagging requests, writes per second in all. */
  double allowedPerSecond() {
    return prefixes * LoadSettings.none().writesPerSecond() * scale;
  }

  Map<String, Object> run(int tasks, int warmupTasks, Path work, List<String> oursArgs) {
    VirtualObjects objects = server.seed(
        new VirtualObjects(BUCKET, "photos/", prefixes, tasks, 1024, true));
    server.settings(LoadSettings.none().withLatency(latencyMs));
    if (warmupTasks > 0) {
      // A job of its own first, unlimited and on other objects, as in the three-contender run:
      // the figures are then those of the runner, not of a JVM whose JIT is still at work.
      VirtualObjects warmup = server.seed(
          new VirtualObjects(WARMUP_BUCKET, "warmup/", 1, warmupTasks, 1024, true));
      Measurement cold = new ProjectJob(server.endpoint(), work, oursArgs)
          .run(new TaggingWorkload(), warmup, warmupTasks, "ours-warmup", server);
      if (!cold.ran()) {
        System.err.printf("bench: the warm-up job failed: %s%n", cold.error());
      }
    }
    LoadSettings limited = LoadSettings.none().withLatency(latencyMs).withRateLimit(scale);
    server.settings(limited);
    System.err.printf("bench: rate-limit run: %,d tasks sorted by key over %d prefixes; "
            + "%d x 3,500 writes/s x %s = %,.0f writes/s allowed, %d ms added latency%n",
        tasks, prefixes, prefixes, scale, allowedPerSecond(), latencyMs);

    var before = server.stats().snapshot();
    server.stats().takeSpanSeconds("done." + ACTION);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    long started = System.nanoTime();
    Sample sample = new Sample(objects, started);
    sampler.scheduleAtFixedRate(sample, 1, 1, TimeUnit.SECONDS);
    if (liftAfterSeconds > 0) {
      sampler.schedule(() -> {
        server.settings(LoadSettings.none().withLatency(latencyMs));
        System.err.printf("bench: %d s: the store's rate limit is lifted%n", liftAfterSeconds);
      }, liftAfterSeconds, TimeUnit.SECONDS);
    }
    Measurement ours;
    try {
      ours = new ProjectJob(server.endpoint(), work, oursArgs)
          .run(new TaggingWorkload(), objects, tasks, "ours", server);
    } finally {
      sampler.shutdownNow();
    }
    long lastTagged = server.stats().lastNanos("done." + ACTION);
    long taggedTotal = server.stats().get("done." + ACTION);
    double limitedRate = sample.limitedSince == 0 || lastTagged <= sample.limitedSince ? 0
        : (taggedTotal - sample.doneWhenLimited) / ((lastTagged - sample.limitedSince) / 1e9);
    return figures(ours, server.stats().phase(before),
        server.stats().takeSpanSeconds("done." + ACTION), tasks, limitedRate);
  }

  private Map<String, Object> figures(Measurement ours, Map<String, Long> seen,
      double taggingSeconds, int tasks, double limitedRate) {
    long tagged = seen.getOrDefault("done." + ACTION, 0L);
    long requests = seen.getOrDefault("action." + ACTION, 0L);
    long refused = seen.getOrDefault("throttled", 0L);
    double rate = taggingSeconds > 0 ? tagged / taggingSeconds : 0;
    double share = requests > 0 ? (double) refused / requests : 0;
    PrefixConcurrency limits = PrefixConcurrency.shared();
    System.out.printf("%-44s %10s %10s %12s%n", "rate-limit run", "objects", "seconds",
        "objects/s");
    System.out.printf("%-44s %,10.0f %10s %,12.0f%n", "allowed by the store (" + prefixes
        + " prefixes)", (double) tasks, "", allowedPerSecond());
    if (ours.ran()) {
      System.out.printf("%-44s %,10d %10.1f %,12.0f   (whole job: %.1f s)%n",
          "(a) s3-batch-spark, tagging requests", tagged, taggingSeconds, rate, ours.seconds());
    } else {
      System.out.printf("%-44s FAILED: %s%n", "(a) s3-batch-spark", ours.error());
    }
    System.out.printf(Locale.ROOT, "once the limit was reached (first SlowDown to last task): "
        + "%,.0f objects/s = %.2f of allowed%n", limitedRate, limitedRate / allowedPerSecond());
    System.out.printf(Locale.ROOT, "ours/allowed = %.2f   refused %,d of %,d tagging requests "
            + "(%.1f %%)   limits lowered %,d times on %,d SlowDown answers%n",
        rate / allowedPerSecond(), refused, requests, 100 * share, limits.decreases(),
        limits.throttledAnswers());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("workload", "tagging");
    json.put("tasks", tasks);
    json.put("latency_ms", latencyMs);
    json.put("ours_per_s", ours.ran() ? Math.round(rate) : null);
    json.put("naive_per_s", null);
    json.put("bare_per_s", null);
    json.put("ours_vs_naive", null);
    json.put("ours_vs_bare", null);
    json.put("rate_limit_scale", scale);
    json.put("prefixes", prefixes);
    json.put("allowed_per_s", Math.round(allowedPerSecond()));
    json.put("ours_vs_allowed", Math.round(rate / allowedPerSecond() * 1000) / 1000.0);
    json.put("ours_limited_per_s", Math.round(limitedRate));
    json.put("ours_limited_vs_allowed",
        Math.round(limitedRate / allowedPerSecond() * 1000) / 1000.0);
    json.put("ours_requests", requests);
    json.put("ours_refused", refused);
    json.put("ours_refused_share", Math.round(share * 10000) / 10000.0);
    json.put("ours_done", ours.done());
    json.put("ours_seconds", Math.round(ours.seconds() * 100) / 100.0);
    json.put("lift_after_s", liftAfterSeconds > 0 ? liftAfterSeconds : null);
    json.put("ours_error", ours.error());
    return json;
  }

  /** One line a second: tagging rate, refusals and the prefixes' limits in this JVM. */
  private final class Sample implements Runnable {
    private final VirtualObjects objects;
    private final long started;
    private long lastDone;
    private long lastRefused;
    /** When the first SlowDown was seen (nanoTime, 0 until then) and the tasks done by then. */
    volatile long limitedSince;
    volatile long doneWhenLimited;

    Sample(VirtualObjects objects, long started) {
      this.objects = objects;
      this.started = started;
      this.lastDone = server.stats().get("done." + ACTION);
      this.lastRefused = server.stats().get("throttled");
    }

    @Override
    public void run() {
      long done = server.stats().get("done." + ACTION);
      long refused = server.stats().get("throttled");
      if (refused > 0 && limitedSince == 0) {
        doneWhenLimited = done;
        limitedSince = System.nanoTime();
      }
      List<Integer> limits = new ArrayList<>();
      for (int p = 0; p < prefixes; p++) {
        int first = (int) ((long) p * objects.count() / prefixes);
        limits.add(PrefixConcurrency.shared().limit(BUCKET + "/" + objects.prefix(first)));
      }
      Collections.sort(limits);
      System.err.printf("bench: %3.0f s  tagged %,6d/s  refused %,5d/s  prefix limits min %s "
              + "median %s max %s%n", (System.nanoTime() - started) / 1e9, done - lastDone,
          refused - lastRefused, text(limits.get(0)), text(limits.get(limits.size() / 2)),
          text(limits.get(limits.size() - 1)));
      lastDone = done;
      lastRefused = refused;
    }

    private static String text(int limit) {
      return limit == Integer.MAX_VALUE ? "none" : Integer.toString(limit);
    }
  }
}
