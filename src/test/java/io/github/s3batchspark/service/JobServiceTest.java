package io.github.s3batchspark.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.Owner;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The job service on local Spark and S3Mock (behind a proxy that holds tagging requests, so
 * that jobs last a few seconds): it runs jobs by priority, shares the requests in flight by
 * priority, and pauses its jobs when it stops, for another service to resume.
 */
class JobServiceTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static final Predicate<ForwardingS3Proxy.Request> TAGGING =
      r -> r.method().equals("PUT") && r.query() != null && r.query().contains("tagging");
  private static final Duration POLL = Duration.ofMillis(500);
  private static ForwardingS3Proxy proxy;
  private static SparkSession spark;
  private static String bucket;
  private static String smallManifest;
  private static String largeManifest;

  @TempDir Path storeDir;

  @BeforeAll
  static void objectsBehindASlowProxy() throws Exception {
    spark = LocalSpark.session();
    bucket = Buckets.create(S3, "service");
    ExecutorService puts = Executors.newFixedThreadPool(16);
    StringBuilder small = new StringBuilder();
    StringBuilder large = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      String key = "o/" + i;
      (i < 20 ? small : large).append(bucket).append(',').append(key).append('\n');
      puts.submit(() -> Buckets.put(S3, bucket, key, "x"));
    }
    puts.shutdown();
    assertTrue(puts.awaitTermination(2, TimeUnit.MINUTES));
    smallManifest = manifest("small.csv", small.toString());
    largeManifest = manifest("large.csv", large.toString());
    proxy = new ForwardingS3Proxy(SERVER);
    proxy.delay(TAGGING, 100);
  }

  @AfterAll
  static void closeProxy() {
    proxy.close();
  }

  @Test
  @Timeout(180)
  void runsReadyJobsOneAtATimeHighestPriorityFirstAndLeavesSuspendedOnesWaiting()
      throws Exception {
    JobStore store = store();
    JobRecord low = create(store, smallManifest, 1, false);
    JobRecord high = create(store, smallManifest, 7, false);
    JobRecord middle = create(store, smallManifest, 4, false);
    JobRecord suspended = create(store, smallManifest, 9, true);

    try (JobService service = JobService.start(spark, store, settings(), 1, POLL)) {
      waitFor(() -> List.of(low, high, middle).stream()
          .allMatch(j -> store.get(j.jobId()).status() == JobStatus.COMPLETE), 150);
    }

    List<String> byEnd = Stream.of(low, high, middle).map(j -> store.get(j.jobId()))
        .sorted(Comparator.comparing(JobRecord::terminationDate))
        .map(JobRecord::jobId).toList();
    assertEquals(List.of(high.jobId(), middle.jobId(), low.jobId()), byEnd);
    assertEquals(JobStatus.SUSPENDED, store.get(suspended.jobId()).status(),
        "a job waiting for confirmation is not run");
  }

  @Test
  @Timeout(240)
  void closingPausesTheRunningJobAndAnotherServiceResumesItDoingEachObjectOnce()
      throws Exception {
    JobStore store = store();
    JobRecord job = create(store, largeManifest, 5, false);
    int requestsAtStart = proxy.requests().size();

    JobService first = JobService.start(spark, store, settings(), 2, POLL);
    waitFor(() -> store.get(job.jobId()).progress().numberOfTasksSucceeded() > 0, 120);
    first.close();

    JobRecord paused = store.get(job.jobId());
    assertEquals(JobStatus.PAUSED, paused.status());
    assertNull(paused.lease(), "the paused run released its lease");
    long doneBeforePause = paused.progress().numberOfTasksSucceeded();
    assertTrue(doneBeforePause > 0 && doneBeforePause < 280, paused.progress().toString());

    try (JobService second = JobService.start(spark, store, settings(), 2, POLL)) {
      waitFor(() -> store.get(job.jobId()).status() == JobStatus.COMPLETE, 150);
    }
    assertEquals(280, store.get(job.jobId()).progress().numberOfTasksSucceeded());
    List<ForwardingS3Proxy.Request> all = proxy.requests();
    assertEquals(280, all.subList(requestsAtStart, all.size()).stream().filter(TAGGING)
        .count(), "each object tagged once over the paused run and the resumed one");
  }

  @Test
  @Timeout(240)
  void runningJobsShareTheRequestsInFlightByPriorityAndAChangeReachesTheirTasksInSeconds()
      throws Exception {
    JobStore store = store();
    JobRecord low = create(store, largeManifest, 1, false);
    JobRecord high = create(store, largeManifest, 3, false);

    try (JobService service = JobService.start(spark, store, settings(), 2, POLL)) {
      waitFor(() -> service.running().size() == 2
          && steering(low.jobId()).contains("share 0.666")
          && steering(high.jobId()).contains("share 1.333"), 60);

      store.update(low.jobId(), Owner.USER, stored -> stored.withPriority(9));

      // (9+1)/(9+1+3+1) of two jobs' windows, and (3+1)/14 of them
      waitFor(() -> steering(low.jobId()).contains("share 1.428")
          && steering(high.jobId()).contains("share 0.571"), 15);
    }
  }

  // --- fixtures ---

  private JobStore store() {
    return HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
  }

  private static RunSettings settings() {
    return RunSettings.defaults().withClients(proxy.clientSettings()).withPartitions(2)
        .withRunner(RunSettings.defaults().runner().withInFlight(2));
  }

  private static String manifest(String key, String csv) {
    return S3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(csv)).eTag()
        .replace("\"", "") + " " + key;
  }

  private static JobRecord create(JobStore store, String manifest, int priority,
      boolean confirm) {
    String[] etagAndKey = manifest.split(" ");
    return JobRunner.create(store, JobSpecParser.parse("""
        {"AccountId": "123456789012", "ConfirmationRequired": %s,
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "p", "Value": "%d"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/%s", "ETag": "%s"}},
         "Report": {"Enabled": false},
         "Priority": %d, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(confirm, priority, bucket, etagAndKey[1], etagAndKey[0], priority)));
  }

  /** The steering file of the job's current run, or "" before there is one. */
  private String steering(String jobId) {
    Path control = storeDir.resolve("jobs/" + jobId + "/control");
    try (Stream<Path> files = Files.list(control)) {
      Path file = files.filter(f -> f.getFileName().toString().startsWith("run-"))
          .findFirst().orElse(null);
      return file == null ? "" : Files.readString(file);
    } catch (java.io.IOException e) {
      return ""; // not written yet, or being replaced
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier until, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!until.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + seconds + " s");
      }
      Thread.sleep(200);
    }
  }
}
