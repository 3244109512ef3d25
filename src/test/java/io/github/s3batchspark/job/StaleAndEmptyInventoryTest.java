package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.InventoryFixture.Entry;
import io.github.s3batchspark.testing.InventoryFixture.Format;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Inventories as Amazon delivers them, read as Amazon's service reads them: a version listed in
 * an all-versions inventory and deleted since fails {@code NoSuchVersion} (what S3 answers for
 * it), not {@code NoSuchKey}; an inventory of no objects ends the same way whether its
 * {@code files} is empty or its files hold no rows.
 */
class StaleAndEmptyInventoryTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final String TAGGING =
      "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"seen\", \"Value\": \"yes\"}]}}";

  @TempDir Path storeDir;

  @Test
  void aVersionDeletedSinceTheInventoryFailsWithNoSuchVersionWhileLiveVersionsSucceed() {
    String source = Buckets.createVersioned(S3, "stale-src");
    Buckets.put(S3, source, "doc.txt", "first");
    Buckets.put(S3, source, "doc.txt", "second");
    Buckets.put(S3, source, "gone.txt", "bye");
    var listing = S3.listObjectVersions(b -> b.bucket(source));
    List<Entry> entries = new ArrayList<>();
    listing.versions().forEach(v -> entries.add(Entry.version(source, v.key(), v.versionId(),
        v.isLatest(), v.size(), v.eTag().replace("\"", ""))));
    String destination = Buckets.create(S3, "stale-inv");
    var report = InventoryFixture.write(S3, LocalSpark.session(), destination, Format.CSV, true,
        entries, 1);
    String olderDoc = listing.versions().stream().filter(v -> v.key().equals("doc.txt")
        && !v.isLatest()).findFirst().orElseThrow().versionId();
    String gone = listing.versions().stream().filter(v -> v.key().equals("gone.txt"))
        .findFirst().orElseThrow().versionId();
    S3.deleteObject(b -> b.bucket(source).key("doc.txt").versionId(olderDoc));
    S3.deleteObject(b -> b.bucket(source).key("gone.txt").versionId(gone));

    JobRecord done = run(report.manifest().bucket(), report.manifest().key(),
        report.manifest().unquotedEtag(), destination);

    assertEquals(JobStatus.COMPLETE, done.status());
    Map<String, String> outcomes = ReportLines.of(S3, destination, done).stream()
        .map(l -> l.split(",", 7))
        .collect(Collectors.toMap(l -> l[1] + " " + l[2], l -> l[3] + " " + l[4] + " " + l[5]));
    String latestDoc = listing.versions().stream().filter(v -> v.key().equals("doc.txt")
        && v.isLatest()).findFirst().orElseThrow().versionId();
    assertEquals(Map.of("doc.txt " + latestDoc, "succeeded 200 ",
        "doc.txt " + olderDoc, "failed 404 NoSuchVersion",
        "gone.txt " + gone, "failed 404 NoSuchVersion"), outcomes);
  }

  @Test
  void anInventoryListingNoFilesEndsAsOneWhoseFilesHoldNoRows() {
    String destination = Buckets.create(S3, "empty-inv");
    var noFiles = InventoryFixture.writeReport(S3, destination, "empty-src", Format.CSV,
        "Bucket, Key, Size, ETag", List.of());
    JobRecord fromNoFiles = run(noFiles.manifest().bucket(), noFiles.manifest().key(),
        noFiles.manifest().unquotedEtag(), destination);
    var emptyFile = InventoryFixture.writeReport(S3, destination, "empty-src-2", Format.CSV,
        "Bucket, Key, Size, ETag", List.of(InventoryFixture.gzip("")));
    JobRecord fromEmptyFile = run(emptyFile.manifest().bucket(), emptyFile.manifest().key(),
        emptyFile.manifest().unquotedEtag(), destination);

    assertEquals(ending(fromEmptyFile), ending(fromNoFiles));
    assertEquals(List.of(JobStatus.COMPLETE.awsName(), "0 tasks", "[]"), ending(fromNoFiles));
  }

  private static List<String> ending(JobRecord job) {
    return List.of(job.status().awsName(), job.progress().totalNumberOfTasks() + " tasks",
        job.failureReasons().toString());
  }

  private JobRecord run(String bucket, String manifestKey, String etag, String reports) {
    String json = """
        {"AccountId": "123456789012",
         "Operation": %s,
         "Manifest": {"Spec": {"Format": "S3InventoryReport_CSV_20161130"},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/%s", "ETag": "%s"}},
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "reports", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(TAGGING, bucket, manifestKey, etag, reports);
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(json));
    return new JobRunner(LocalSpark.session(), store, RunSettings.defaults()
        .withClients(SERVER.clientSettings()).withPartitions(2)).run(job.jobId());
  }
}
