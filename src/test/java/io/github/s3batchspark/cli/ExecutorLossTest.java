package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.CsvManifest;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job run on Spark's {@code local-cluster} (a master, and workers whose executors are JVMs of
 * their own) loses an executor mid-job, killed as a machine dies: Spark runs the lost tasks
 * again on another executor, the job completes, and every manifest row ends as exactly one
 * result.
 */
class ExecutorLossTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static final int OBJECTS = 200;
  private static final Predicate<ForwardingS3Proxy.Request> TAGGING =
      r -> r.method().equals("PUT") && r.query() != null && r.query().contains("tagging");

  @TempDir Path dir;

  @Test
  @Timeout(420)
  void anExecutorKilledMidJobLeavesOneResultPerManifestRowAndEveryObjectDone() throws Exception {
    String bucket = Buckets.create(S3, "lost");
    String etag = CsvManifest.putWithObjects(S3, bucket, "e/", OBJECTS);
    Path job = dir.resolve("job.json");
    Files.writeString(job, CsvJobJson.unreported(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"survived\", \"Value\": \"yes\"}]}}",
        bucket, etag));
    Path store = dir.resolve("store");
    Path log = dir.resolve("run.log");
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));

    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      proxy.delay(TAGGING, 100); // 2 executors x 2 partitions x 4 in flight: about 5 s of work
      Process run = ChildRun.start(log, Map.of(
              // local-cluster builds executors' command lines from SPARK_HOME; in testing mode
              // it needs no distribution there, and the executors get the test's class path
              "SPARK_HOME", sparkHome.toString(), "SPARK_TESTING", "1",
              "SPARK_SCALA_VERSION", "2.12"),
          List.of("spark.master=local-cluster[2,1,1024]", "spark.executor.memory=768m",
              "spark.executor.extraClassPath=" + System.getProperty("java.class.path"),
              // the executors sign with the local servers' test keys, as the driver does
              "spark.executor.extraJavaOptions=" + String.join(" ", ChildRun.moduleOpenings())
                  + " -Daws.accessKeyId=test -Daws.secretAccessKey=test -Daws.region=us-east-1",
              "spark.s3batch.failFastMinTasks=0"),
          List.of("run", "--cli-input-json", "file://" + job, "--job-store", store.toString(),
              "--endpoint-url", proxy.clientSettings().endpointUrl(), "--credentials", "caller",
              "--partitions", "4", "--in-flight", "4"));
      try {
        waitUntil(() -> proxy.requests().stream().filter(TAGGING).count() > OBJECTS / 4, run,
            log);
        ProcessHandle executor = run.toHandle().descendants()
            .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend"))
            .findFirst().orElseThrow(() -> new AssertionError("no executor JVM under the run"));
        executor.destroyForcibly();
        assertTrue(run.waitFor(240, TimeUnit.SECONDS), "the run ended");
        String said = Files.readString(log);
        assertEquals(0, run.exitValue(), said);
        assertTrue(said.contains("Lost executor") || said.contains("lost executor")
            || said.contains("Executor lost") || said.contains("ExecutorLost"),
            "Spark saw the executor go: " + said);
        long redone = proxy.requests().stream().filter(TAGGING).count() - OBJECTS;
        System.out.printf("executor loss: %d of %d objects done twice%n", redone, OBJECTS);
        assertTrue(redone >= 0 && redone < OBJECTS, "redone: " + redone);
      } finally {
        run.destroyForcibly();
      }
    }
    Path jobDir = Files.list(store.resolve("jobs")).findFirst().orElseThrow();
    Dataset<Row> table = LocalSpark.session().read()
        .parquet(jobDir.resolve("report-table").toString());
    assertEquals(OBJECTS, table.count(), "one row per manifest row");
    assertEquals(OBJECTS, table.select("task_id").distinct().count());
    assertEquals(OBJECTS, table.filter("task_status = 'succeeded'").count());
  }

  /** A process's command line as Linux keeps it (ProcessHandle.Info may leave it out). */
  private static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"))
          .replace('\0', ' ');
    } catch (java.io.IOException e) {
      return process.info().commandLine().orElse("");
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier done, Process run, Path log)
      throws Exception {
    while (!done.getAsBoolean()) {
      if (!run.isAlive()) {
        throw new AssertionError("the run ended early: " + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }
}
