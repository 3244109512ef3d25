package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.report.TaskResultSchema;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job-wide dry run: the manifest is read from the store (S3Mock, through s3a, as for a real
 * job), every task reports what it would do, and nothing changes: no object, no job record.
 */
class JobDryRunTest {
  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();

  @Test
  void dryRunOfADeleteJobListsEveryObjectAndDeletesNone() throws Exception {
    String bucket = Buckets.create(s3, "dry");
    List<String> keys = List.of("a.txt", "b/c.txt", "d e.txt");
    keys.forEach(k -> Buckets.put(s3, bucket, k, "keep me"));
    String etag = Buckets.put(s3, bucket, "manifest.csv",
        bucket + ",a.txt\n" + bucket + ",b/c.txt\n" + bucket + ",d%20e.txt\n");
    JobSpec spec = JobSpecParser.parse(JobFixtures.taggingWith(job -> {
      job.putObject("Operation").putObject("S3DeleteObject");
      job.putObject("Report").put("Enabled", false);
      job.with("Manifest").with("Location")
          .put("ObjectArn", "arn:aws:s3:::" + bucket + "/manifest.csv")
          .put("ETag", etag.replace("\"", ""));
    }));
    Path storeDir = Files.createTempDirectory("dry-run-store");
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRunner runner = new JobRunner(LocalSpark.session(), store,
        RunSettings.defaults().withClients(server.clientSettings()));

    Map<String, Row> byKey = runner.dryRun(spec).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(TaskResultSchema.KEY), r -> r));

    assertEquals(keys.size(), byKey.size());
    for (String key : keys) {
      Row row = byKey.get(key);
      assertEquals("succeeded", row.getAs(TaskResultSchema.TASK_STATUS));
      assertEquals("Would delete s3://" + bucket + "/" + key,
          row.getAs(TaskResultSchema.RESULT_MESSAGE));
      assertEquals("keep me", s3.getObjectAsBytes(b -> b.bucket(bucket).key(key))
          .asUtf8String());
    }
    assertTrue(store.list().jobs().isEmpty(), "a dry run records no job");
  }
}
