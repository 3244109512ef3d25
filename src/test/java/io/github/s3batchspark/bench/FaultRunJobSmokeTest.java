package io.github.s3batchspark.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.bench.ObjectStore.S3Object;
import io.github.s3batchspark.bench.ProjectJob.JobOutcome;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault run through the whole job ({@code s3batch run} on local Spark), small: every
 * tagging request may meet 10 % 503 SlowDown, 1 % 500 InternalError or 1 % connection resets.
 * Counts only, never speed: the job completes, the completion report lists every object exactly
 * once as succeeded, and the results table counts each injected fault as one more attempt.
 */
class FaultRunJobSmokeTest {
  private static final int TASKS = 2_000;
  private static LoadS3Server server;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    BenchCredentials.install();
    spark = LocalSpark.session();
    server = LoadS3Server.start(1, LoadSettings.none().withLatency(2));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyTaskIsReportedOnceAndEveryFaultIsCountedAsAnAttempt() throws Exception {
    TaggingWorkload workload = new TaggingWorkload();
    VirtualObjects objects = workload.seed(server, TASKS);
    server.settings(server.settings().withFaults(0.10, 0.01, 0.01)
        .withFaultedOperations(Set.of("PutObjectTagging")));
    long faultsBefore = injectedFaults();
    Path work = Files.createTempDirectory("fault-run");
    ProjectJob job = new ProjectJob(server.endpoint(), work, List.of());

    JobOutcome outcome = job.runJob(workload, objects, TASKS, "faults", server);

    assertEquals(0, outcome.exit(), outcome::lastErrorLine);
    long faults = injectedFaults() - faultsBefore;
    assertTrue(faults > 0, "the run met no fault at all");
    List<String[]> report = reportLines(outcome.jobId());
    assertEquals(TASKS, report.size(), "one report line per task");
    assertEquals(TASKS, new HashSet<>(report.stream().map(l -> l[1]).toList()).size(),
        "each object exactly once in the report");
    assertTrue(report.stream().allMatch(l -> l[3].equals("succeeded")),
        () -> report.stream().filter(l -> !l[3].equals("succeeded")).findFirst()
            .map(l -> String.join(",", l)).orElse(""));
    Row attempts = spark.read().parquet(job.jobStore().resolve("jobs")
            .resolve(outcome.jobId()).resolve("results").toString())
        .agg(countDistinct(col("task_id")), sum(col("attempts")), max(col("attempts")))
        .first();
    assertEquals(TASKS, attempts.getLong(0));
    assertEquals(TASKS + faults, attempts.getLong(1), "every fault is one more attempt");
    assertTrue(attempts.getInt(2) > 1);
    assertEquals(TASKS, workload.done(server, objects, "faults"));
    assertTrue(IntStream.range(0, TASKS).allMatch(i -> objects.tagWrites(i) == 1),
        "each object tagged by exactly one request");
  }

  private static long injectedFaults() {
    return server.stats().get("fault.SlowDown") + server.stats().get("fault.InternalError")
        + server.stats().get("fault.reset");
  }

  /** Every line of the job's completion report CSV files, split on commas. */
  private static List<String[]> reportLines(String jobId) {
    List<String[]> lines = new ArrayList<>();
    ObjectStore.Bucket reports = server.store().bucket(ProjectJob.REPORT_BUCKET);
    for (Map.Entry<String, S3Object> e : reports.objects.entrySet()) {
      if (e.getKey().contains("job-" + jobId + "/") && e.getKey().endsWith(".csv")) {
        byte[] body = ((ObjectContent.Stored) e.getValue().content()).bytes();
        new String(body, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
            .forEach(l -> lines.add(l.split(",", -1)));
      }
    }
    return lines;
  }
}
