package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.CsvManifest;
import io.github.s3batchspark.testing.FailOnceFileSystem;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Spark task that loses its output at its very end (its results file fails to close, once) is
 * run again by Spark, in a {@code run} of its own JVM on {@code local[2,2]} (two attempts per
 * task): its objects are done twice, but every manifest row ends as exactly one result, because
 * results are committed by Spark's output protocol, never appended by a task.
 */
class TaskRetryTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static final int OBJECTS = 200;
  private static final Predicate<ForwardingS3Proxy.Request> TAGGING =
      r -> r.method().equals("PUT") && r.query() != null && r.query().contains("tagging");

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void aTaskRetriedBySparkLeavesOneResultPerManifestRowAndRedoesOnlyItsPartition()
      throws Exception {
    String bucket = Buckets.create(S3, "retry");
    String etag = CsvManifest.putWithObjects(S3, bucket, "r/", OBJECTS);
    Path job = dir.resolve("job.json");
    Files.writeString(job, CsvJobJson.unreported(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"retried\", \"Value\": \"once\"}]}}",
        bucket, etag));
    Path store = dir.resolve("store");
    Path log = dir.resolve("run.log");

    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      Process run = ChildRun.start(log, List.of("spark.master=local[2,2]",
              "spark.hadoop.fs.failonce.impl=" + FailOnceFileSystem.class.getName(),
              "spark.hadoop.fs.failonce.impl.disable.cache=true",
              "spark.s3batch.failFastMinTasks=0", "failonce.under=/results/"),
          List.of("run", "--cli-input-json", "file://" + job, "--job-store",
              "failonce://" + store, "--endpoint-url", proxy.clientSettings().endpointUrl(),
              "--credentials", "caller", "--partitions", "4"));
      assertTrue(run.waitFor(150, TimeUnit.SECONDS), "the run ended");
      String said = Files.readString(log);
      assertEquals(0, run.exitValue(), said);
      assertTrue(said.contains("failonce: this task attempt's output is lost"),
          "a task attempt failed as the test asked: " + said);

      long tagged = proxy.requests().stream().filter(TAGGING).count();
      long redone = tagged - OBJECTS;
      assertTrue(redone > 0 && redone < OBJECTS, "the retried task redid its partition's"
          + " objects, and only those: " + redone);
      System.out.printf("task retry: %d of %d objects done twice%n", redone, OBJECTS);
    }
    Dataset<Row> table = LocalSpark.session().read().parquet(store.resolve(
        "jobs").toFile().listFiles()[0].toPath().resolve("report-table").toString());
    assertEquals(OBJECTS, table.count(), "one row per manifest row");
    assertEquals(OBJECTS, table.select("task_id").distinct().count());
    assertEquals(OBJECTS, table.filter("task_status = 'succeeded'").count());
  }
}
