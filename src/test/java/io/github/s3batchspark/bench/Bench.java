package io.github.s3batchspark.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark: one workload, three contenders (four on the copy workload, with rclone), one
 * load server, the same objects.
 *
 * <pre>
 *   Bench --workload tagging --tasks 100000 --latency-ms 20
 * </pre>
 *
 * <p>(c) the bare async client runs first, then Spark starts (timed apart: both Spark contenders
 * share it), then (b) the naive job on the first {@code --naive-tasks} objects, then (a) the
 * project's job on all of them. Each contender is measured warm: before its timed run it runs
 * {@code --warmup-tasks} (100,000) of its own tasks, the project's as a whole job of its own, so
 * that the figures compare the contenders and not how far the JIT has got with each (on two
 * cores the JIT's compiler threads take a fifth of the CPU for the first minute). The project's
 * cold job is printed too. Prints a table and, last, one JSON line for scripts. With
 * {@code --faults} the workload's requests meet injected faults, and the project's job is
 * audited afterwards. Exits 1 when a contender that was asked for could not run, or the audit
 * failed.
 *
 * <p>{@code --contenders ...,rclone} adds (d), rclone copying the same objects server-side
 * ({@link RcloneCopy}). {@code --cold} runs each contender instead as a fresh process timed
 * whole, as a user runs it, with no warm-up ({@link ColdContenders}). {@code --profile DIR}
 * records each warm contender's timed run with Flight Recorder ({@link Profile}).
 */
public final class Bench {
  /** Options that take no value. */
  private static final List<String> FLAGS = List.of("--cold");

  private final Map<String, String> options;

  private Bench(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) {
    BenchCredentials.install();
    int exit;
    try {
      Map<String, String> options = parse(args);
      exit = options.containsKey("memory") ? new MemoryBench(options).run()
          : new Bench(options).run();
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      exit = 2;
    } catch (java.io.IOException | InterruptedException e) {
      System.err.println("bench: the memory run could not run: " + e);
      exit = 1;
    }
    // Spark's and the SDK's non-daemon threads would keep the JVM up after the last line.
    System.exit(exit);
  }

  private int run() {
    if (option("workload", "tagging").equals("listing")) {
      return listingRun();
    }
    Workload workload = option("workload", "tagging").equals("priority") ? null
        : workload(option("workload", "tagging"));
    int tasks = intOption("tasks", 100_000);
    int latency = intOption("latency-ms", 20);
    int naiveTasks = Math.min(tasks, intOption("naive-tasks", 2_000));
    int window = intOption("bare-window", 512);
    Duration limit = Duration.ofSeconds(intOption("time-limit-s", 300));
    Path work = Path.of(option("work-dir", "target/bench"));
    List<String> oursArgs = options.containsKey("ours-args")
        ? Arrays.asList(options.get("ours-args").trim().split("\\s+")) : List.of();

    try (LoadS3Server server = LoadS3Server.start(intOption("server-threads", 1),
        LoadSettings.none())) {
      if (options.containsKey("rate-limit")) {
        return rateLimitRun(server, tasks, latency, work, oursArgs);
      }
      if (option("workload", "tagging").equals("priority")) {
        return priorityRun(server, tasks, latency, work, limit);
      }
      checkContenders(workload);
      System.err.printf("bench: %s, %,d tasks, %d ms added latency, load server %s%s%n",
          workload.name(), tasks, latency, server.endpoint(), cold() ? ", cold" : "");
      VirtualObjects objects = workload.seed(server, tasks);
      server.settings(LoadSettings.none().withLatency(latency));
      if (cold()) {
        return coldRun(server, workload, objects, tasks, latency, window, limit, work, oursArgs);
      }

      int warmup = Math.min(tasks, warmupTasks());
      double[] faults = faults();
      BareAsyncClient bare = new BareAsyncClient(server.endpoint(), window, faults != null);
      if (warmup > 0 && chosen("bare")) {
        bare.run(workload, objects, warmup, "warmup", limit, server);
      }
      if (faults != null) {
        server.settings(server.settings().withFaults(faults[0], faults[1], faults[2])
            .withFaultedOperations(workload.actions()));
      }
      Profile profile = Profile.into(options.get("profile"));
      Measurement c = chosen("bare")
          ? profile.record("bare",
              () -> onCpu(server, () -> bare.run(workload, objects, tasks, "bare", limit, server)))
          : skipped("bare");
      report(c);
      Measurement d = chosen("rclone")
          ? new RcloneCopy(server.endpoint(), work)
              .run((CopyWorkload) workload, objects, tasks, "rclone", server, limit)
          : skipped("rclone");
      report(d);

      long sparkStarting = System.nanoTime();
      SparkSession spark = startSpark();
      double sparkStart = (System.nanoTime() - sparkStarting) / 1e9;

      if (warmup > 0 && chosen("naive")) {
        // The naive job is bound by latency; a few hundred tasks warm its client and Spark's.
        naive(spark, workload, objects, Math.min(naiveTasks, 200), "naive-warmup", limit, server);
      }
      Measurement b = chosen("naive")
          ? onCpu(server, () -> naive(spark, workload, objects, naiveTasks, "naive", limit, server))
          : skipped("naive");
      report(b);
      Measurement cold = warmup > 0 && chosen("ours")
          ? ours(workload, objects, warmup, "ours-warmup", server, work, oursArgs)
          : skipped("ours");
      if (cold.ran()) {
        report(cold);
      }
      Measurement a = chosen("ours") && (warmup == 0 || cold.ran())
          ? profile.record("ours", () -> onCpu(server,
              () -> ours(workload, objects, tasks, "ours", server, work, oursArgs)))
          : cold;
      report(a);

      Map<String, Object> json = print(workload, tasks, latency, window, sparkStart,
          workload.bytesPerTask(objects), a, b, c, d);
      json.put("warmup_tasks", warmup);
      if (faults != null) {
        json.put("bare_lost", c.ran() ? c.tasks() - c.done() : null);
      }
      json.put("ours_cold_per_s", cold.ran() ? round(cold.perSecond()) : null);
      json.put("ours_cold_seconds", cold.ran() ? round(cold.seconds()) : null);
      boolean audited = faults == null || !a.ran() || audit(json, server, spark, work, a, tasks);
      System.out.println(Json.object(json));
      return audited && allRan(a, b, c, d) ? 0 : 1;
    }
  }

  /**
   * {@code --cold}: each contender a fresh process timed whole, no warm-up, no Spark in this JVM
   * (see {@link ColdContenders}). rclone first, then the bare client, then the project's job.
   */
  private int coldRun(LoadS3Server server, Workload workload, VirtualObjects objects, int tasks,
      int latency, int window, Duration limit, Path work, List<String> oursArgs) {
    ColdContenders contenders = new ColdContenders(server, work, limit);
    Measurement d = chosen("rclone")
        ? new RcloneCopy(server.endpoint(), work)
            .run((CopyWorkload) workload, objects, tasks, "rclone", server, limit)
        : skipped("rclone");
    report(d);
    Measurement c = chosen("bare")
        ? contenders.bare(workload, objects, tasks, window, intOption("object-size", 1 << 20))
        : skipped("bare");
    report(c);
    Measurement a = chosen("ours") ? contenders.ours(workload, objects, tasks, oursArgs)
        : skipped("ours");
    report(a);
    Map<String, Object> json = print(workload, tasks, latency, window, 0,
        workload.bytesPerTask(objects), a, skipped("naive"), c, d);
    System.out.println(Json.object(json));
    return allRan(a, c, d) ? 0 : 1;
  }

  private static boolean allRan(Measurement... contenders) {
    return Arrays.stream(contenders).allMatch(m -> m.ran() || m.skipped());
  }

  /** {@code --cold}, a flag: every contender a fresh process. */
  private boolean cold() {
    return options.containsKey("cold");
  }

  /** Contenders that cannot do what was asked are refused before anything runs. */
  private void checkContenders(Workload workload) {
    for (String name : option("contenders", "ours").split(",")) {
      if (!List.of("ours", "naive", "bare", "rclone").contains(name)) {
        throw new IllegalArgumentException("--contenders: unknown contender " + name
            + " (known: ours, naive, bare, rclone)");
      }
    }
    if (chosen("rclone") && !workload.name().equals("copy")) {
      throw new IllegalArgumentException("--contenders rclone: rclone is measured on the copy"
          + " workload only; add --workload copy (got " + workload.name() + ")");
    }
    if (cold() && chosen("naive")) {
      throw new IllegalArgumentException("--cold: the naive job has no fresh-process form; drop"
          + " naive from --contenders (ours,bare,rclone)");
    }
    if (cold() && (options.containsKey("faults") || options.containsKey("rate-limit"))) {
      throw new IllegalArgumentException("--cold measures plain runs; drop --faults and"
          + " --rate-limit");
    }
  }

  /**
   * {@code --rate-limit SCALE [--prefixes N] [--lift-after-s S]}: the project's tagging job
   * alone, against S3's per-prefix rates times SCALE (see {@link RateLimitRun}).
   */
  private int rateLimitRun(LoadS3Server server, int tasks, int latency, Path work,
      List<String> oursArgs) {
    double scale;
    try {
      scale = Double.parseDouble(options.get("rate-limit"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--rate-limit takes the scale of S3's per-prefix "
          + "rates, such as 0.15, got " + options.get("rate-limit"));
    }
    startSpark();
    Map<String, Object> json = new RateLimitRun(server, intOption("prefixes", 4), scale,
        latency, intOption("lift-after-s", 0))
        .run(tasks, warmupTasks(), work, oursArgs);
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("load_average", round(loadAverage()));
    System.out.println(Json.object(json));
    return json.get("ours_error") == null ? 0 : 1;
  }

  /**
   * {@code --workload priority [--swap-after-s S]}: two tagging jobs of {@code --tasks} each,
   * priorities 90 and 10, in one job service; their priorities swap S s after both have begun
   * (default 20).
   * See {@link PrioritySharesRun}.
   */
  private int priorityRun(LoadS3Server server, int tasks, int latency, Path work,
      Duration limit) {
    // the fair scheduler, as serve has it: the two jobs share the task slots
    SparkSession spark = SparkSession.builder().master("local[*]")
        .appName("s3-batch-spark bench: priority shares").config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.scheduler.mode", "FAIR")
        .config("spark.executor.heartbeatInterval", "3s")
        .config("spark.sql.session.timeZone", "UTC").getOrCreate();
    Map<String, Object> json;
    try {
      json = new PrioritySharesRun(server, latency, intOption("swap-after-s", 20), limit)
          .run(spark, tasks, work.resolve("priority-" + System.currentTimeMillis()));
    } catch (Exception e) {
      throw new IllegalStateException("the priority-shares run failed: " + e, e);
    }
    json.put("load_average", round(loadAverage()));
    System.out.println(Json.object(json));
    return json.get("error") == null ? 0 : 1;
  }

  /**
   * {@code --workload listing [--keys N] [--latency-ms MS]}: the generated manifest's listing
   * against one ListObjectsV2 paginator, on a bucket seeded in the load server's memory (see
   * {@link ListingBench}).
   */
  private int listingRun() {
    try (LoadS3Server server = LoadS3Server.start(intOption("server-threads", 1),
        LoadSettings.none())) {
      int keys = intOption("keys", 1_000_000);
      int latency = intOption("latency-ms", 20);
      System.err.printf("bench: listing, %,d keys, %d ms added latency, load server %s%n", keys,
          latency, server.endpoint());
      Map<String, Object> json = new ListingBench(server, keys, latency).run(startSpark());
      json.put("load_average", round(loadAverage()));
      System.out.println(Json.object(json));
      return Boolean.TRUE.equals(json.get("correct")) ? 0 : 1;
    }
  }

  /**
   * Runs one contender in this JVM and notes the CPU time the JVM spent meanwhile, and the part
   * of it the load server's threads spent.
   */
  private static Measurement onCpu(LoadS3Server server, Supplier<Measurement> contender) {
    long before = cpuNanos();
    long serverBefore = server.cpuNanos();
    Measurement m = contender.get();
    return m.withCpuSeconds((cpuNanos() - before) / 1e9)
        .withServerCpuSeconds((server.cpuNanos() - serverBefore) / 1e9);
  }

  /** This JVM's CPU time so far. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * The session both Spark contenders run in; {@code s3batch run} picks it up. Executors beat
   * every 3 s, as in the session {@code run} starts, since their heartbeats carry the live
   * progress whose cost the benchmark measures ({@code --ours-args --no-live-progress}).
   */
  private static SparkSession startSpark() {
    return SparkSession.builder().master("local[*]")
        .appName("s3-batch-spark bench").config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.executor.heartbeatInterval", "3s")
        .config("spark.sql.session.timeZone", "UTC").getOrCreate();
  }

  /**
   * Under {@code --faults} the naive job, with nothing but the SDK's three attempts, may fail as
   * a whole: that is its result.
   */
  private static Measurement naive(SparkSession spark, Workload workload, VirtualObjects objects,
      int tasks, String label, Duration limit, LoadS3Server server) {
    try {
      return new NaiveSparkJob(spark, server.endpoint())
          .run(workload, objects, tasks, label, limit.toMillis(), server);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      return Measurement.failed("naive", "the job failed: " + message.lines().findFirst()
          .orElse(e.toString()));
    }
  }

  /**
   * The fault run's checks on the project's job: every object exactly once in the completion
   * report, all succeeded, and every injected fault counted as one more attempt.
   */
  private static boolean audit(Map<String, Object> json, LoadS3Server server, SparkSession spark,
      Path work, Measurement a, int tasks) {
    JobAudit audit = JobAudit.of(server, spark, work.resolve("jobs"), a.jobId());
    long faults = a.injectedFaults();
    boolean exactlyOnce = audit.reportLines() == tasks && audit.reportObjects() == tasks
        && audit.resultTasks() == tasks && audit.resultRows() == tasks;
    boolean counted = audit.attempts() == tasks + faults;
    System.out.printf("fault run: %,d faults injected; report %,d lines, %,d objects, %,d "
            + "succeeded; results %,d attempts (most %d for one task): %s%n", faults,
        audit.reportLines(), audit.reportObjects(), audit.reportSucceeded(), audit.attempts(),
        audit.mostAttempts(), exactlyOnce && counted && audit.reportSucceeded() == tasks
            ? "every task once, every fault counted" : "CHECK FAILED");
    json.put("ours_injected_faults", faults);
    json.put("ours_report_lines", audit.reportLines());
    json.put("ours_report_objects", audit.reportObjects());
    json.put("ours_report_succeeded", audit.reportSucceeded());
    json.put("ours_attempts", audit.attempts());
    json.put("ours_exactly_once", exactlyOnce);
    json.put("ours_faults_counted", counted);
    return exactlyOnce && counted && audit.reportSucceeded() == tasks;
  }

  /** {@code --faults 0.10,0.01,0.01}: rates of 503 SlowDown, 500 InternalError, resets. */
  private double[] faults() {
    String v = options.get("faults");
    if (v == null) {
      return null;
    }
    String[] parts = v.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException("--faults takes three rates: 503,500,reset, got " + v);
    }
    return Arrays.stream(parts).mapToDouble(Double::parseDouble).toArray();
  }

  /**
   * {@code --contenders ours,naive,bare} (the default; with {@code --cold}: ours,bare and, on the
   * copy workload, rclone); fewer, when tuning one; rclone on request.
   */
  private boolean chosen(String contender) {
    String fallback = !cold() ? "ours,naive,bare"
        : option("workload", "tagging").equals("copy") ? "ours,bare,rclone" : "ours,bare";
    return Arrays.asList(option("contenders", fallback).split(",")).contains(contender);
  }

  private static Measurement skipped(String contender) {
    return Measurement.failed(contender, Measurement.SKIPPED);
  }

  /** A failure of the project's job is a result to print, not a reason to lose the others. */
  private static Measurement ours(Workload workload, VirtualObjects objects, int tasks,
      String label, LoadS3Server server, Path work, List<String> args) {
    try {
      return new ProjectJob(server.endpoint(), work, args)
          .run(workload, objects, tasks, label, server);
    } catch (LinkageError | RuntimeException e) {
      return Measurement.failed(label, e.toString());
    }
  }

  private static void report(Measurement m) {
    if (!m.ran()) {
      System.err.printf("bench: %s did not run: %s%n", m.contender(), m.error());
      return;
    }
    System.err.printf("bench: %s: %,d tasks, %,d objects done in %.1f s; server saw %s%n",
        m.contender(), m.tasks(), m.done(), m.seconds(), m.server());
  }

  private Map<String, Object> print(Workload workload, int tasks, int latency, int window,
      double sparkStart, long bytesPerTask, Measurement a, Measurement b, Measurement c,
      Measurement d) {
    System.out.printf("%-44s %10s %10s %12s %10s %12s%n", "contender", "objects", "seconds",
        "objects/s", bytesPerTask > 0 ? "MiB/s" : "", "CPU ms/obj");
    row("(a) s3-batch-spark, s3batch run, local[*]", a, bytesPerTask);
    row("(b) naive foreachPartition, sync client", b, bytesPerTask);
    row("(c) bare async client, " + window + " in flight", c, bytesPerTask);
    row("(d) rclone copy, 256 transfers, server-side", d, bytesPerTask);
    Double aOverB = ratio(a, b);
    Double aOverC = ratio(a, c);
    Double aOverD = ratio(a, d);
    if (cold()) {
      System.out.printf("a/c = %s   a/d = %s   (each a fresh process timed whole, CPU its own;"
              + " %d cores, load average %.1f)%n", fmt(aOverC), fmt(aOverD),
          Runtime.getRuntime().availableProcessors(), loadAverage());
    } else {
      System.out.printf("a/b = %s   a/c = %s   a/d = %s   (each warm; Spark start %.1f s, not"
              + " counted; CPU: this JVM's, load server included, but rclone's its own; %d"
              + " cores, load average %.1f)%n", fmt(aOverB), fmt(aOverC), fmt(aOverD),
          sparkStart, Runtime.getRuntime().availableProcessors(), loadAverage());
    }
    if (d.ran()) {
      System.out.printf("rclone: %,d CopyObject for %,d objects, %,d other requests; load"
              + " server CPU meanwhile %.1f s%n", d.server().getOrDefault("action.CopyObject", 0L),
          d.tasks(), RcloneCopy.otherRequests(d), d.serverCpuSeconds());
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mode", cold() ? "cold" : "warm");
    json.put("workload", workload.name());
    json.put("tasks", tasks);
    json.put("latency_ms", latency);
    json.put("ours_per_s", a.ran() ? round(a.perSecond()) : null);
    json.put("naive_per_s", b.ran() ? round(b.perSecond()) : null);
    json.put("bare_per_s", c.ran() ? round(c.perSecond()) : null);
    json.put("rclone_per_s", d.ran() ? round(d.perSecond()) : null);
    json.put("ours_vs_naive", aOverB == null ? null : round(aOverB));
    json.put("ours_vs_bare", aOverC == null ? null : round(aOverC));
    json.put("ours_vs_rclone", aOverD == null ? null : round(aOverD));
    if (bytesPerTask > 0) {
      json.put("ours_bytes_per_s", a.ran() ? Math.round(a.perSecond() * bytesPerTask) : null);
      json.put("naive_bytes_per_s", b.ran() ? Math.round(b.perSecond() * bytesPerTask) : null);
      json.put("bare_bytes_per_s", c.ran() ? Math.round(c.perSecond() * bytesPerTask) : null);
    }
    json.put("ours_seconds", a.ran() ? round(a.seconds()) : null);
    json.put("ours_cpu_s", a.ran() ? round(a.cpuSeconds()) : null);
    json.put("naive_cpu_s", b.ran() ? round(b.cpuSeconds()) : null);
    json.put("bare_cpu_s", c.ran() ? round(c.cpuSeconds()) : null);
    json.put("rclone_cpu_s", d.ran() ? round(d.cpuSeconds()) : null);
    for (Measurement m : List.of(a, b, c, d)) {
      String name = m == a ? "ours" : m == b ? "naive" : m == c ? "bare" : "rclone";
      json.put(name + "_cpu_ms_per_object", m.ran() ? round3(m.cpuMillisPerObject()) : null);
    }
    for (Measurement m : List.of(a, b, c, d)) {
      String name = m == a ? "ours" : m == b ? "naive" : m == c ? "bare" : "rclone";
      if (m.ran() && m.serverCpuSeconds() > 0) {
        json.put(name + "_server_cpu_s", round(m.serverCpuSeconds()));
      }
      // rclone and every contender of the cold run are processes of their own: their CPU is
      // theirs alone; a warm contender's is this JVM's, the load server's taken out here
      boolean ownProcess = cold() || m == d;
      json.put(name + "_client_cpu_ms_per_object", m.ran() ? round3(ownProcess
          ? m.cpuMillisPerObject() : m.clientCpuMillisPerObject()) : null);
    }
    json.put("bare_seconds", c.ran() ? round(c.seconds()) : null);
    json.put("rclone_seconds", d.ran() ? round(d.seconds()) : null);
    json.put("ours_done", a.done());
    json.put("bare_done", c.done());
    json.put("rclone_done", d.done());
    json.put("rclone_copy_objects", d.ran() ? d.server().getOrDefault("action.CopyObject", 0L)
        : null);
    json.put("rclone_other_requests", d.ran() ? RcloneCopy.otherRequests(d) : null);
    json.put("naive_tasks", b.tasks());
    json.put("bare_window", window);
    json.put("spark_start_s", round(sparkStart));
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("load_average", round(loadAverage()));
    json.put("faults", options.get("faults"));
    json.put("ours_error", a.error());
    json.put("naive_error", b.error());
    json.put("bare_error", c.error());
    json.put("rclone_error", d.error());
    return json;
  }

  private static void row(String name, Measurement m, long bytesPerTask) {
    if (m.ran()) {
      System.out.printf("%-44s %,10d %10.1f %,12.0f %10s %12.3f%n", name, m.done(), m.seconds(),
          m.perSecond(), bytesPerTask > 0
              ? String.format(Locale.ROOT, "%.1f", m.perSecond() * bytesPerTask / (1 << 20)) : "",
          m.cpuMillisPerObject());
    } else {
      System.out.printf("%-44s %s%n", name, m.skipped() ? "skipped" : "FAILED: " + m.error());
    }
  }

  private static Double ratio(Measurement x, Measurement y) {
    return x.ran() && y.ran() && y.perSecond() > 0 ? x.perSecond() / y.perSecond() : null;
  }

  private static String fmt(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private Workload workload(String name) {
    return Workload.named(name, intOption("object-size", 1 << 20));
  }

  /** {@code --warmup-tasks N}: tasks each contender runs before it is timed (0: cold). */
  private int warmupTasks() {
    return intOption("warmup-tasks", 100_000);
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  private int intOption(String name, int fallback) {
    return BenchOptions.wholeNumber(options, name, fallback);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    while (!rest.isEmpty()) {
      String name = rest.remove(0);
      if (FLAGS.contains(name)) {
        options.put(name.substring(2), "true");
        continue;
      }
      if (!name.startsWith("--") || rest.isEmpty()) {
        throw new IllegalArgumentException("expected --option value, got " + name);
      }
      options.put(name.substring(2), rest.remove(0));
    }
    return options;
  }
}
