package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A job run by {@code s3batch run} in a process of its own, as a user runs it, watched and
 * steered from this one with the command line: its progress advances in describe-job, a cancel
 * stops its requests, a second run is refused, a killed run is taken over. The store is S3Mock
 * behind a proxy that holds each tagging request, so that the job lasts long enough, and that
 * records when each request arrived.
 */
class WatchAndSteerTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static final int OBJECTS = 600;
  private static final Predicate<ForwardingS3Proxy.Request> TAGGING =
      r -> r.method().equals("PUT") && r.query() != null && r.query().contains("tagging");
  private static ForwardingS3Proxy proxy;
  private static String bucket;
  private static String manifestEtag;

  @TempDir Path dir;

  @BeforeAll
  static void objectsManifestAndProxy() throws Exception {
    LocalSpark.session();
    bucket = Buckets.create(S3, "steer");
    ExecutorService puts = Executors.newFixedThreadPool(16);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < OBJECTS; i++) {
      String key = String.format("logs/%04d.txt", i);
      csv.append(bucket).append(',').append(key).append('\n');
      puts.submit(() -> Buckets.put(S3, bucket, key, "line"));
    }
    puts.shutdown();
    assertTrue(puts.awaitTermination(2, TimeUnit.MINUTES));
    manifestEtag = S3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    proxy = new ForwardingS3Proxy(SERVER);
    // 8 requests in flight (2 partitions of 4) held 100 ms each: about 80 objects a second.
    proxy.delay(TAGGING, 100);
  }

  @AfterAll
  static void closeProxy() {
    proxy.close();
  }

  @Test
  @Timeout(240)
  void progressAdvancesInDescribeJobAndCancelStopsTheRequestsAndWritesTheReport()
      throws Exception {
    String jobId = createJob("watch");
    Process run = startRun(jobId);
    try {
      List<Long> seen = new ArrayList<>();
      JobNode running = waitFor(jobId, job -> {
        long succeeded = job.succeeded();
        if (job.status().equals("Active") && (seen.isEmpty() || seen.get(seen.size() - 1)
            != succeeded)) {
          seen.add(succeeded);
        }
        return seen.stream().filter(n -> n > 0).count() >= 2;
      }, run);
      assertTrue(running.run().path("Alive").asBoolean(), running.run().toString());
      assertTrue(running.run().path("HeartbeatAgeSeconds").asLong() <= 10, running.toString());

      CliOutcome cancel = s3batch("update-job-status", "--job-id", jobId,
          "--requested-job-status", "Cancelled");
      long cancelledAt = System.currentTimeMillis();
      assertEquals(0, cancel.code(), cancel.err());
      assertEquals("Cancelling", cancel.json().get("Status").asText());

      assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the run ended after the cancel");
      System.out.printf("cancel: the run ended %d ms after it%n",
          System.currentTimeMillis() - cancelledAt);
      assertEquals(3, run.exitValue(), "a cancelled run exits 3; see " + log(jobId));
      long lateRequests = proxy.requests().stream().filter(TAGGING)
          .filter(r -> r.receivedAtMillis() > cancelledAt + 10_000).count();
      assertEquals(0, lateRequests, "no object request starts later than 10 s after the cancel");

      JobNode ended = describe(jobId);
      assertEquals("Cancelled", ended.status());
      long done = ended.succeeded() + ended.failed();
      assertTrue(done > 0 && done < OBJECTS, "the cancel stopped the job part way: " + done);
      Map<String, String> report = reportRows("reports/watch", jobId);
      assertEquals(done, report.size(), "one report row per task that ran, none twice");
      assertEquals(ended.succeeded(),
          report.values().stream().filter("succeeded"::equals).count());
      assertEquals(taggedKeys("watch"), new TreeSet<>(report.keySet()),
          "every object tagged has its row, and no other has one");
      assertTrue(Files.readString(log(jobId)).contains("Job " + jobId.substring(0, 8) + ": "),
          "the run's progress line: " + Files.readString(log(jobId)));
    } finally {
      run.destroyForcibly();
    }
  }

  @Test
  @Timeout(300)
  void secondRunIsRefusedPriorityHoldsAndKilledRunIsTakenOverRedoingOnlyItsLastWave()
      throws Exception {
    String jobId = createJob("takeover");
    int requestsAtStart = proxy.requests().size();
    Process first = startRun(jobId);
    long committedBeforeKill;
    try {
      waitFor(jobId, job -> job.status().equals("Active") && job.succeeded() > 0, first);

      CliOutcome second = s3batch("run", "--job-id", jobId);
      assertEquals(2, second.code(), second.err());
      assertTrue(second.err().contains("is being run by run "), second.err());

      CliOutcome priority = s3batch("update-job-priority", "--job-id", jobId, "--priority",
          "42");
      assertEquals(0, priority.code(), priority.err());

      // Killed once two waves are committed and the third is under way.
      Path results = dir.resolve("store/jobs/" + jobId + "/results");
      waitFor(jobId, job -> committedWaves(results) >= 2, first);
      first.destroyForcibly().waitFor();
      committedBeforeKill = committedRows(results);

    } finally {
      first.destroyForcibly();
    }
    JobNode left = describe(jobId);
    assertEquals("Active", left.status(), "the killed run left the job Active");
    assertTrue(left.run().has("HeartbeatAgeSeconds"), "and its lease: " + left.run());
    waitFor(jobId, job -> !job.run().path("Alive").asBoolean(true), null);
    int requestsBefore = proxy.requests().size();
    CliOutcome takeover = s3batch("run", "--job-id", jobId);

    assertEquals(0, takeover.code(), takeover.err());
    JobNode ended = describe(jobId);
    assertEquals("Complete", ended.status());
    assertEquals(42, ended.job().get("Priority").asInt(), "the priority set during the run");
    assertEquals(OBJECTS, ended.succeeded());
    assertTrue(ended.run().isMissingNode(), "the lease is released: " + ended.run());
    Map<String, String> report = reportRows("reports/takeover", jobId);
    assertEquals(OBJECTS, report.size(), "every manifest row ends as exactly one row");
    assertEquals(OBJECTS, taggedKeys("takeover").size());
    long notCommitted = OBJECTS - committedBeforeKill;
    assertTrue(taggingRequestsSince(requestsBefore) <= notCommitted, "the takeover ran "
        + taggingRequestsSince(requestsBefore) + " tasks; only " + notCommitted
        + " were not committed when the first run was killed");
    long taggedTwice = taggingRequestsSince(requestsAtStart) - OBJECTS;
    assertTrue(taggedTwice <= notCommitted, "redone: " + taggedTwice
        + ", not committed when killed: " + notCommitted);
    System.out.printf("killed run: %d of %d tasks committed; %d objects tagged twice%n",
        committedBeforeKill, OBJECTS, taggedTwice);
  }

  // --- the job, its runs and what they left ---

  private String createJob(String purpose) throws Exception {
    String json = """
        {"AccountId": "123456789012", "Description": "%s",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "by", "Value": "%s"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "reports/%s", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 3, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(purpose, purpose, bucket, manifestEtag, bucket, purpose);
    Path file = dir.resolve(purpose + ".json");
    Files.writeString(file, json);
    CliOutcome created = s3batch("create-job", "--cli-input-json", "file://" + file);
    assertEquals(0, created.code(), created.err());
    return created.json().get("JobId").asText();
  }

  /** {@code s3batch run --job-id} in its own JVM, small enough to be watched. */
  private Process startRun(String jobId) throws Exception {
    return ChildRun.start(log(jobId), List.of("spark.master=local[2]",
        // waves of about 5 s, after a first wave of 60: a kill loses at most one of them
        "spark.s3batch.waveTime=5s", "spark.s3batch.failFastMinTasks=60"),
        List.of("run", "--job-id", jobId, "--job-store", dir.resolve("store").toString(),
            "--endpoint-url", proxyEndpoint(), "--credentials", "caller",
            "--in-flight", "4", "--partitions", "2", "--lease-timeout-seconds", "9"));
  }

  private Path log(String jobId) {
    return dir.resolve("run-" + jobId + ".log");
  }

  private static String proxyEndpoint() {
    return proxy.clientSettings().endpointUrl();
  }

  private CliOutcome s3batch(String... args) {
    return CliOutcome.run(dir.resolve("store"), proxyEndpoint(), args);
  }

  /** DescribeJob's Job and our Run, as describe-job prints them. */
  private record JobNode(JsonNode job, JsonNode run) {
    String status() {
      return job.get("Status").asText();
    }

    long succeeded() {
      return job.at("/ProgressSummary/NumberOfTasksSucceeded").asLong();
    }

    long failed() {
      return job.at("/ProgressSummary/NumberOfTasksFailed").asLong();
    }
  }

  private JobNode describe(String jobId) throws Exception {
    CliOutcome described = s3batch("describe-job", "--job-id", jobId);
    assertEquals(0, described.code(), described.err());
    JsonNode out = described.json();
    return new JobNode(out.get("Job"), out.path("Run"));
  }

  /** Polls describe-job until {@code until} holds; fails if {@code run} ends first. */
  private JobNode waitFor(String jobId, Predicate<JobNode> until, Process run)
      throws Exception {
    while (true) {
      JobNode job = describe(jobId);
      if (until.test(job)) {
        return job;
      }
      if (run != null && !run.isAlive()) {
        throw new AssertionError("the run ended (exit " + run.exitValue() + ") before the test"
            + " saw what it waited for; last: " + job + "; log: " + Files.readString(log(jobId)));
      }
      Thread.sleep(300);
    }
  }

  private static long committedWaves(Path results) {
    return committedDirectories(results).size();
  }

  private static long committedRows(Path results) {
    return committedDirectories(results).stream().mapToLong(wave ->
        LocalSpark.session().read().parquet(wave.toString()).count()).sum();
  }

  /** Waves whose output Spark committed (their _SUCCESS is written last). */
  private static List<Path> committedDirectories(Path results) {
    List<Path> committed = new ArrayList<>();
    for (Path run : children(results)) {
      for (Path wave : children(run)) {
        if (Files.exists(wave.resolve("_SUCCESS"))) {
          committed.add(wave);
        }
      }
    }
    return committed;
  }

  /** A directory's entries; none when it does not exist (yet). */
  private static List<Path> children(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  /**
   * The rows of the completion report written under {@code prefix}, key to status, where Amazon
   * writes it ({@code prefix/job-ID/manifest.json}); each key must appear once.
   */
  private Map<String, String> reportRows(String prefix, String jobId) throws Exception {
    JsonNode manifest = new ObjectMapper().readTree(S3.getObjectAsBytes(b -> b.bucket(bucket)
        .key(prefix + "/job-" + jobId + "/manifest.json")).asUtf8String());
    Map<String, String> rows = new HashMap<>();
    for (JsonNode result : manifest.get("Results")) {
      String csv = S3.getObjectAsBytes(b -> b.bucket(bucket).key(result.get("Key").asText()))
          .asUtf8String();
      for (String line : csv.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", 5); // Bucket,Key,VersionId,TaskStatus,...
        String key = java.net.URLDecoder.decode(cells[1], java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(null, rows.put(key, cells[3]), "a second row for " + key + " in " + jobId);
      }
    }
    return rows;
  }

  /** Keys of the objects whose tag is the one the job {@code purpose} sets. */
  private static TreeSet<String> taggedKeys(String purpose) {
    TreeSet<String> tagged = new TreeSet<>();
    for (S3Object o : S3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("logs/"))
        .contents()) {
      if (S3.getObjectTagging(b -> b.bucket(bucket).key(o.key())).tagSet().stream()
          .anyMatch(t -> t.value().equals(purpose))) {
        tagged.add(o.key());
      }
    }
    return tagged;
  }

  /** The tagging requests the proxy saw from its {@code from}-th request on. */
  private static long taggingRequestsSince(int from) {
    List<ForwardingS3Proxy.Request> all = proxy.requests();
    return all.subList(from, all.size()).stream().filter(TAGGING).count();
  }

}
