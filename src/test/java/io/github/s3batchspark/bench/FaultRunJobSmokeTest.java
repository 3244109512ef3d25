package io.github.s3batchspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.bench.ProjectJob.JobOutcome;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
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
    JobAudit audit = JobAudit.of(server, spark, job.jobStore(), outcome.jobId());
    assertEquals(TASKS, audit.reportLines(), "one report line per task");
    assertEquals(TASKS, audit.reportObjects(), "each object exactly once in the report");
    assertEquals(TASKS, audit.reportSucceeded());
    assertEquals(TASKS, audit.resultRows());
    assertEquals(TASKS, audit.resultTasks());
    assertEquals(TASKS + faults, audit.attempts(), "every fault is one more attempt");
    assertTrue(audit.mostAttempts() > 1);
    assertEquals(TASKS, workload.done(server, objects, "faults"));
    assertTrue(IntStream.range(0, TASKS).allMatch(i -> objects.tagWrites(i) == 1),
        "each object tagged by exactly one request");
  }

  private static long injectedFaults() {
    return server.stats().get("fault.SlowDown") + server.stats().get("fault.InternalError")
        + server.stats().get("fault.reset");
  }
}
