package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A whole S3ComputeObjectChecksum job: each object's checksum is in its row of the completion
 * report and of the report table, where the issue wants it.
 */
class ChecksumReportTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static final Map<String, String> OBJECTS = Map.of(
      "a.txt", "alpha", "dir/b c.bin", "bravo and charlie", "empty", "");

  @TempDir Path storeDir;

  @Test
  void eachObjectsSha256IsInTheCompletionReportAndTheReportTable() {
    String bucket = Buckets.create(S3, "sums");
    OBJECTS.forEach((key, body) -> Buckets.put(S3, bucket, key, body));
    String csv = OBJECTS.keySet().stream().map(k -> bucket + "," + k.replace(" ", "+") + "\n")
        .collect(Collectors.joining());
    String etag = Buckets.put(S3, bucket, "manifest.csv", csv).replace("\"", "");
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(CsvJobJson.of(
        "{\"S3ComputeObjectChecksum\": {\"ChecksumAlgorithm\": \"SHA256\","
            + " \"ChecksumType\": \"FULL_OBJECT\"}}", bucket, etag, "reports")));

    JobRecord done = new JobRunner(LocalSpark.session(), store, RunSettings.defaults()
        .withClients(SERVER.clientSettings()).withPartitions(2)).run(job.jobId());

    assertEquals(JobStatus.COMPLETE, done.status());
    Map<String, String> expected = OBJECTS.entrySet().stream().collect(Collectors.toMap(
        Map.Entry::getKey, e -> "SHA256 FULL_OBJECT " + sha256(e.getValue())));
    Map<String, String> reported = ReportLines.of(S3, bucket, done).stream()
        .map(l -> l.split(",", 7))
        .collect(Collectors.toMap(l -> URLDecoder.decode(l[1], StandardCharsets.UTF_8),
            l -> l[3] + " " + l[6]));
    assertEquals(expected.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> "succeeded " + e.getValue())), reported);
    List<Row> table = LocalSpark.session().read()
        .parquet(store.jobDirectory(done.jobId()) + "/report-table")
        .select("key", "result_message").collectAsList();
    assertEquals(expected, table.stream().collect(Collectors.toMap(r -> r.getString(0),
        r -> r.getString(1))));
  }

  private static String sha256(String body) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
