package io.github.s3batchspark.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * The memory run: one job of millions of tasks through {@code scripts/s3batch run}, in a JVM of
 * its own whose heap is capped ({@code -Xmx1g} by default; in local mode the driver and the
 * executors share that heap, which is the stricter test), against the load server in this JVM
 * (whose own per-object state, a few bytes per virtual object and the stored manifest and
 * report, is therefore not counted). The work is tagging.
 *
 * <pre>
 *   scripts/bench --memory csv --tasks 5000000 --latency-ms 0
 *   scripts/bench --memory inventory --tasks 5000000 --latency-ms 0
 *   scripts/bench --memory generated --tasks 1000000 --latency-ms 0
 * </pre>
 *
 * <p>The job reads a CSV manifest, an S3 Inventory report, or none: {@code generated} gives it a
 * {@code ManifestGenerator} over a bucket of {@code --tasks} keys laid out as the listing run's
 * ({@link ListingBucket}), so that its live heap shows whether listing a bucket holds its keys.
 *
 * <p>Prints the tasks, seconds, objects per second, the job JVM's peak heap after GC, read from
 * its {@code -Xlog:gc} log ({@link GcLog}): the peak live heap, sampled by a full collection
 * every 5 s ({@code --live-gc-interval-s}), and the most any collection left; the completion
 * report's line count, and last one JSON line. Exits 0 only when the job completed, every object was tagged
 * and the report has one line per task.
 */
final class MemoryBench {
  static final String INVENTORY_BUCKET = "bench-inventory";
  /** The generated manifest's source: a {@link ListingBucket}, as the listing run lists. */
  static final String GENERATED_BUCKET = "bench-generated";
  /** Rows per gzip data file of the inventory: Spark reads one file per task. */
  private static final int INVENTORY_ROWS_PER_FILE = 500_000;

  private final Map<String, String> options;

  MemoryBench(Map<String, String> options) {
    this.options = options;
  }

  /**
   * What the job runs on: the member of its CreateJob request that names its objects
   * ({@code Manifest} or {@code ManifestGenerator}) and that member's value, what was written or
   * seeded for it (said before the job starts), and how many of its objects carry the job's
   * tags, counted in the store once it ended.
   */
  private record JobSource(String member, String json, String prepared, LongSupplier tagged) {}

  int run() throws IOException, InterruptedException {
    String source = option("memory", "csv");
    int tasks = intOption("tasks", 5_000_000);
    int latency = intOption("latency-ms", 0);
    String heap = option("job-heap", "1g");
    Path work = Path.of(option("work-dir", "target/bench-memory")).toAbsolutePath();
    Files.createDirectories(work);
    TaggingWorkload workload = new TaggingWorkload();
    String label = "memory-" + source + "-" + tasks;

    try (LoadS3Server server = LoadS3Server.start(intOption("server-threads", 1),
        LoadSettings.none())) {
      System.err.printf("bench: memory run, %s manifest, %,d tasks, %d ms added latency, job"
          + " JVM -Xmx%s, load server %s%n", source, tasks, latency, heap, server.endpoint());
      JobSource objects = switch (source) {
        case "csv" -> csv(server, workload, tasks, label);
        case "inventory" -> inventory(server, workload, tasks, label);
        case "generated" -> generated(server, workload, tasks, label);
        default -> throw new IllegalArgumentException("--memory takes csv, inventory or"
            + " generated, got " + source);
      };
      server.createBucket(ProjectJob.REPORT_BUCKET);
      server.settings(LoadSettings.none().withLatency(latency));
      System.err.printf("bench: %s; starting the job JVM%n", objects.prepared());

      Path gcLog = work.resolve(label + "-gc.log");
      Files.deleteIfExists(gcLog);
      Path job = Files.writeString(work.resolve(label + "-job.json"),
          ProjectJob.createJobRequest(workload, label, objects.member(), objects.json()));
      ProjectJob.JobOutcome outcome = runJob(server, job, work, heap, gcLog);
      GcLog gc = GcLog.read(gcLog);
      long tagged = objects.tagged().getAsLong();
      ReportCount report = outcome.jobId() == null ? new ReportCount(0, 0)
          : ReportCount.of(server, outcome.jobId());

      boolean ok = outcome.exit() == 0 && tagged == tasks && report.lines() == tasks;
      print(source, tasks, latency, heap, outcome, gc, tagged, report, ok);
      return ok ? 0 : 1;
    }
  }

  private static JobSource csv(LoadS3Server server, TaggingWorkload workload, int tasks,
      String label) {
    VirtualObjects objects = workload.seed(server, tasks);
    String key = workload.name() + "/" + label + "-manifest.csv";
    byte[] csv = ProjectJob.csvManifest(objects, tasks);
    String etag = server.putObject(ProjectJob.MANIFEST_BUCKET, key, csv);
    return new JobSource("Manifest", ProjectJob.csvManifestMember(key, etag),
        String.format("manifest of %,d bytes written", csv.length),
        () -> workload.done(server, objects, label));
  }

  /**
   * An S3 Inventory report as S3 writes it in CSV: gzip data files of quoted values, and a
   * manifest.json listing them with their MD5. No ETag column, so that each task is one request
   * here as in the CSV run (with one, every tagging is guarded by a conditional HEAD first).
   */
  private static JobSource inventory(LoadS3Server server, TaggingWorkload workload, int tasks,
      String label) {
    VirtualObjects objects = workload.seed(server, tasks);
    String base = "inventory/" + objects.bucket() + "/" + label + "/";
    List<String> files = new ArrayList<>();
    long bytes = 0;
    for (int from = 0; from < tasks; from += INVENTORY_ROWS_PER_FILE) {
      byte[] data = gzipRows(objects, from, Math.min(tasks, from + INVENTORY_ROWS_PER_FILE));
      String key = base + "data/" + files.size() + ".csv.gz";
      server.putObject(INVENTORY_BUCKET, key, data);
      files.add("{\"key\": \"" + key + "\", \"size\": " + data.length + ", \"MD5checksum\": \""
          + md5(data) + "\"}");
      bytes += data.length;
    }
    String json = """
        {"sourceBucket": "%s", "destinationBucket": "arn:aws:s3:::%s", "version": "2016-11-30",
         "creationTimestamp": "%d", "fileFormat": "CSV",
         "fileSchema": "Bucket, Key, Size, StorageClass", "files": [%s]}
        """.formatted(objects.bucket(), INVENTORY_BUCKET, System.currentTimeMillis(),
        String.join(", ", files));
    String key = base + "manifest.json";
    String etag = server.putObject(INVENTORY_BUCKET, key, json.getBytes(StandardCharsets.UTF_8));
    return new JobSource("Manifest", """
        {
            "Spec": {"Format": "S3InventoryReport_CSV_20161130"},
            "Location": {"ObjectArn": "arn:aws:s3:::%s/%s", "ETag": "%s"}
          }""".formatted(INVENTORY_BUCKET, key, etag.replace("\"", "")),
        String.format("manifest of %,d bytes written", bytes),
        () -> workload.done(server, objects, label));
  }

  /**
   * No manifest: the job lists a bucket of {@code tasks} stored objects, as the listing run's
   * ({@link ListingBucket}), with no filter and no manifest output, so that the whole listing
   * flows through the job and nothing but the listing differs from the CSV run.
   */
  private static JobSource generated(LoadS3Server server, TaggingWorkload workload, int tasks,
      String label) {
    long seeding = System.nanoTime();
    ListingBucket bucket = ListingBucket.seed(server, GENERATED_BUCKET, tasks);
    return new JobSource("ManifestGenerator", """
        {"S3JobManifestGenerator": {"SourceBucket": "arn:aws:s3:::%s",
            "EnableManifestOutput": false}}""".formatted(bucket.name()),
        String.format("bucket of %,d keys seeded in %.1f s", bucket.keys(),
            (System.nanoTime() - seeding) / 1e9),
        () -> workload.done(server, bucket, label));
  }

  private static byte[] gzipRows(VirtualObjects objects, int from, int to) {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (Writer w = new OutputStreamWriter(new GZIPOutputStream(gz, 1 << 16),
        StandardCharsets.UTF_8)) {
      for (int i = from; i < to; i++) {
        // our keys need no URL-encoding
        w.write("\"" + objects.bucket() + "\",\"" + objects.key(i) + "\",\"" + objects.size()
            + "\",\"STANDARD\"\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return gz.toByteArray();
  }

  /** {@code scripts/s3batch run} in its own JVM, its output passed through, timed. */
  private ProjectJob.JobOutcome runJob(LoadS3Server server, Path job, Path work, String heap,
      Path gcLog) throws IOException, InterruptedException {
    Path out = work.resolve("job.out");
    List<String> command = List.of("scripts/s3batch", "run", "--cli-input-json", "file://" + job,
        "--endpoint-url", server.endpoint(), "--region", "us-east-1", "--credentials", "caller",
        "--job-store", work.resolve("jobs").toString());
    List<String> extra = options.containsKey("ours-args")
        ? List.of(options.get("ours-args").trim().split("\\s+")) : List.of();
    List<String> all = new ArrayList<>(command);
    all.addAll(extra);
    ProcessBuilder builder = new ProcessBuilder(all)
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = builder.environment();
    env.put("S3BATCH_JAVA_OPTS", "-Xmx" + heap + " -Xlog:gc:file=" + gcLog);
    env.put("AWS_ACCESS_KEY_ID", "bench");
    env.put("AWS_SECRET_ACCESS_KEY", "bench");
    env.put("AWS_REGION", "us-east-1");
    long started = System.nanoTime();
    Process p = builder.start();
    Path histograms = options.containsKey("histogram-dir")
        ? Files.createDirectories(Path.of(options.get("histogram-dir"))) : null;
    Thread sampler = liveHeapSampler(p, intOption("live-gc-interval-s", 5), histograms);
    boolean ended = p.waitFor(intOption("time-limit-s", 3600), TimeUnit.SECONDS);
    sampler.interrupt();
    if (!ended) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (histograms != null) {
      printLargestHistogram(histograms);
    }
    return new ProjectJob.JobOutcome(p.exitValue(), Files.readString(out), "", seconds);
  }

  /**
   * Asks the job JVM for a full collection every {@code seconds} ({@code jcmd PID GC.run}):
   * what each one leaves is the live heap at that moment, logged in its GC log. 0 switches it
   * off. With a {@code histograms} directory each sample is a class histogram of the live heap
   * instead ({@code GC.class_histogram}, which collects first), saved there as
   * {@code <seconds into the run>.txt}. scripts/s3batch usually execs java, but the run that
   * writes the class-data archive keeps the shell as java's parent, so the JVM is looked for
   * among the process's children.
   */
  private static Thread liveHeapSampler(Process job, int seconds, Path histograms) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    long started = System.nanoTime();
    Thread t = new Thread(() -> {
      try {
        while (seconds > 0 && job.isAlive()) {
          TimeUnit.SECONDS.sleep(seconds);
          String pid = String.valueOf(jvm(job).pid());
          ProcessBuilder sample = histograms == null
              ? new ProcessBuilder(jcmd, pid, "GC.run")
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              : new ProcessBuilder(jcmd, pid, "GC.class_histogram")
                  .redirectOutput(histograms.resolve(String.format("%05d.txt",
                      (System.nanoTime() - started) / 1_000_000_000L)).toFile());
          sample.redirectErrorStream(true).start().waitFor();
        }
      } catch (InterruptedException | IOException stopped) {
        // the job ended, or jcmd is missing: the log then has no live samples
      }
    }, "live-heap-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The histogram with the most live bytes, named and its first rows printed to stderr. */
  private static void printLargestHistogram(Path histograms) throws IOException {
    Path largest = null;
    long most = -1;
    List<Path> files;
    try (var listing = Files.list(histograms)) {
      files = listing.sorted().toList();
    }
    for (Path file : files) {
      long total = Files.readAllLines(file).stream().filter(l -> l.startsWith("Total"))
          .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[2])).findFirst().orElse(-1);
      if (total > most) {
        most = total;
        largest = file;
      }
    }
    if (largest != null) {
      System.err.printf("bench: the largest live heap of %d class histograms: %s, %,d MiB%n",
          files.size(), largest, most >> 20);
      Files.readAllLines(largest).stream().limit(22).forEach(System.err::println);
    }
  }

  /** The java process itself, or the first java among its descendants (the shell's child). */
  private static ProcessHandle jvm(Process job) {
    return java(job.toHandle()) ? job.toHandle()
        : job.descendants().filter(MemoryBench::java).findFirst().orElse(job.toHandle());
  }

  private static boolean java(ProcessHandle p) {
    return p.info().command().map(c -> c.endsWith("/java")).orElse(false);
  }

  private static void print(String source, int tasks, int latency, String heap,
      ProjectJob.JobOutcome outcome, GcLog gc, long tagged, ReportCount report, boolean ok) {
    double perSecond = tasks / Math.max(outcome.seconds(), 1e-3);
    System.out.printf("%-10s %10s %9s %10s %15s %15s %12s %14s %14s%n", "manifest", "tasks",
        "seconds", "objects/s", "peak live heap", "peak after GC", "GCs (full)",
        "report lines", "objects tagged");
    System.out.printf("%-10s %,10d %9.1f %,10.0f %,11d MiB %,11d MiB %,6d (%d) %,14d %,14d%n",
        source, tasks, outcome.seconds(), perSecond, gc.peakLiveMib(), gc.peakAfterMib(),
        gc.collections(), gc.fullCollections(), report.lines(), tagged);
    System.out.printf("peak live heap: the most a full GC left, of %d forced during the run"
        + " (jcmd GC.run); peak after GC: the most any GC left; heap -Xmx%s, at most %,d MiB"
        + " committed%n", gc.liveSamples(), heap, gc.heapMib());
    System.out.printf("job exit %d, %s; %d cores, load average %.1f%n", outcome.exit(),
        ok ? "every task once in the report, every object tagged" : "CHECK FAILED",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mode", "memory");
    json.put("manifest", source);
    json.put("workload", "tagging");
    json.put("tasks", tasks);
    json.put("latency_ms", latency);
    json.put("job_heap", heap);
    json.put("seconds", Math.round(outcome.seconds() * 10) / 10.0);
    json.put("objects_per_s", Math.round(perSecond));
    json.put("peak_live_heap_mib", gc.peakLiveMib());
    json.put("live_samples", gc.liveSamples());
    json.put("peak_heap_after_gc_mib", gc.peakAfterMib());
    json.put("heap_committed_max_mib", gc.heapMib());
    json.put("gc_count", gc.collections());
    json.put("full_gc_count", gc.fullCollections());
    json.put("report_lines", report.lines());
    json.put("report_succeeded", report.succeeded());
    json.put("objects_tagged", tagged);
    json.put("job_exit", outcome.exit());
    json.put("job_id", outcome.jobId());
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("load_average", Math.round(ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage() * 10) / 10.0);
    json.put("ok", ok);
    System.out.println(Json.object(json));
  }

  /** The lines of a job's completion report, counted in the load server's store. */
  record ReportCount(long lines, long succeeded) {
    static ReportCount of(LoadS3Server server, String jobId) {
      long lines = 0;
      long succeeded = 0;
      ObjectStore.Bucket reports = server.store().bucket(ProjectJob.REPORT_BUCKET);
      for (var e : reports.objects.entrySet()) {
        if (!e.getKey().contains("job-" + jobId + "/") || !e.getKey().endsWith(".csv")) {
          continue;
        }
        String body = new String(((ObjectContent.Stored) e.getValue().content()).bytes(),
            StandardCharsets.UTF_8);
        for (String line : (Iterable<String>) body.lines()::iterator) {
          if (!line.isBlank()) {
            lines++;
            // Bucket,Key,VersionId,TaskStatus,...: keys are URL-encoded, commas split cleanly
            if (line.split(",", 5)[3].equals("succeeded")) {
              succeeded++;
            }
          }
        }
      }
      return new ReportCount(lines, succeeded);
    }
  }

  private static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  private int intOption(String name, int fallback) {
    return BenchOptions.wholeNumber(options, name, fallback);
  }
}
