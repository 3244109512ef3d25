package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.execution.S3aOptions;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 15's "several serve processes may share one job store (the leases decide which runs a
 * job)": two {@code serve} JVMs on one {@code s3a://} store on moto (serving one request at a
 * time, so that its conditional writes are atomic, as S3's are) and three jobs: each job runs to
 * Complete and each of its objects is tagged once, however the two services raced for it. One
 * service stopped by SIGTERM while it runs a job pauses it and releases its lease; the other
 * takes it and completes it.
 */
class TwoServesOneStoreTest {
  private static final int JOBS = 3;
  private static final int OBJECTS = 120;
  private static final Pattern PAUSED = Pattern.compile("Job service: job (\\S+) is Paused");
  private static final Predicate<ForwardingS3Proxy.Request> TAGGING =
      r -> r.method().equals("PUT") && r.query() != null && r.query().contains("tagging");

  private static LocalS3Server server;
  private static ForwardingS3Proxy proxy;
  private static String storeBucket;
  @TempDir static Path dir;

  @BeforeAll
  static void storeAndProxy() {
    server = LocalS3Server.serialMoto();
    storeBucket = Buckets.create(server.client(), "shared-store");
    proxy = new ForwardingS3Proxy(server);
    // 2 requests in flight per job held 150 ms each: a job takes several seconds, long enough
    // for the SIGTERM to find one running
    proxy.delay(TAGGING, 150);
  }

  @AfterAll
  static void stop() {
    proxy.close();
    server.stop();
  }

  @Test
  @Timeout(600)
  void eachJobRunsOnceAndAStoppedServesJobIsTakenOverByTheOther() throws Exception {
    String store = "s3a://" + storeBucket + "/store";
    List<String> buckets = new ArrayList<>();
    for (int j = 0; j < JOBS; j++) {
      buckets.add(createJob(store, j));
    }
    Path keys = Files.writeString(dir.resolve("keys"), "AKIATWOSERVES0000001 two-serves\n");
    Path firstLog = dir.resolve("serve-1.log");
    Path secondLog = dir.resolve("serve-2.log");
    Process first = serve(store, keys, firstLog);
    Process second = serve(store, keys, secondLog);
    try {
      JobStore jobs = openStore(store);
      awaitLine(firstLog, "s3batch API listening", Duration.ofMinutes(5));
      awaitLine(secondLog, "s3batch API listening", Duration.ofMinutes(5));
      awaitAJobRunBy(jobs, firstLog, Duration.ofMinutes(5));

      first.toHandle().destroy(); // SIGTERM: pause, commit, release the lease
      assertTrue(first.waitFor(120, TimeUnit.SECONDS), "the first serve did not stop");
      String stopped = Files.readString(firstLog);
      assertTrue(stopped.contains("s3batch jobs paused"), stopped);
      Matcher paused = PAUSED.matcher(stopped);
      assertTrue(paused.find(), "the first serve paused no job: " + stopped);
      String taken = paused.group(1);

      awaitAllEnded(jobs, Duration.ofMinutes(6));
      for (JobRecord job : jobs.list().jobs()) {
        assertEquals(JobStatus.COMPLETE, job.status(), job.jobId() + ": " + job.failureReasons());
        assertEquals(OBJECTS, job.progress().numberOfTasksSucceeded(), job.jobId());
      }
      assertTrue(Files.readString(secondLog).contains("running job " + taken),
          "the second serve did not take " + taken);
      Map<String, Integer> tagged = taggingsPerObject();
      for (String bucket : buckets) {
        for (int i = 0; i < OBJECTS; i++) {
          String object = "/" + bucket + "/" + key(i);
          int times = tagged.getOrDefault(object, 0);
          assertTrue(times >= 1, object + " was never tagged");
          // the job taken over may redo the requests in flight at the pause, no more
          assertTrue(times == 1 || jobBucketOf(jobs, taken).equals(bucket),
              object + " was tagged " + times + " times by a job no one stopped");
        }
      }
    } finally {
      first.destroyForcibly();
      second.toHandle().destroy();
      if (!second.waitFor(120, TimeUnit.SECONDS)) {
        second.destroyForcibly();
      }
    }
  }

  private static String createJob(String store, int j) {
    S3Client s3 = server.client();
    String bucket = Buckets.create(s3, "shared-" + j);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < OBJECTS; i++) {
      Buckets.put(s3, bucket, key(i), "x");
      csv.append(bucket).append(',').append(key(i)).append('\n');
    }
    String etag = s3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    String json = io.github.s3batchspark.testing.CsvJobJson.of(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"job\", \"Value\": \"" + j
            + "\"}]}}", bucket, etag, "report-" + j);
    CliOutcome created = CliOutcome.runAsTyped("create-job", "--cli-input-json", json,
        "--job-store", store, "--endpoint-url", server.endpoint(), "--credentials", "caller");
    assertEquals(0, created.code(), created.err());
    return bucket;
  }

  private static String key(int i) {
    return String.format("o/%03d", i);
  }

  private static Process serve(String store, Path keys, Path log) throws Exception {
    return ChildRun.start(log, List.of("spark.master=local[2]", "spark.s3batch.inFlight=2",
            "spark.s3batch.partitions=1", "spark.s3batch.leaseTimeout=9s",
            "spark.s3batch.waveTime=3s", "spark.s3batch.failFastMinTasks=20"),
        List.of("serve", "--account-id", "123456789012", "--access-keys", keys.toString(),
            "--job-store", store, "--endpoint-url", proxy.clientSettings().endpointUrl(),
            "--credentials", "caller", "--max-running-jobs", "1"));
  }

  private static JobStore openStore(String store) {
    Configuration conf = new Configuration();
    S3aOptions.configure(conf, server.clientSettings(), storeBucket);
    return HadoopJobStore.open(store, server.clientSettings(), conf);
  }

  private static void awaitLine(Path log, String line, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!Files.readString(log).contains(line)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no \"" + line + "\" in " + Files.readString(log));
      }
      Thread.sleep(500);
    }
  }

  /** A job the serve logging to {@code log} runs, once it has tagged objects. */
  private static String awaitAJobRunBy(JobStore jobs, Path log, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      for (JobRecord job : jobs.list().jobs()) {
        if (job.status() == JobStatus.ACTIVE && job.progress().numberOfTasksSucceeded() > 0
            && Files.readString(log).contains("running job " + job.jobId())) {
          return job.jobId();
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the first serve ran no job: " + Files.readString(log));
  }

  private static void awaitAllEnded(JobStore jobs, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (jobs.list().jobs().stream().allMatch(j -> j.status().isTerminal())) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("jobs still running: " + jobs.list().jobs().stream()
        .map(j -> j.jobId() + " " + j.status()).toList());
  }

  private static String jobBucketOf(JobStore jobs, String jobId) {
    String arn = jobs.get(jobId).spec().request().manifest().location().objectArn();
    return arn.substring("arn:aws:s3:::".length(), arn.indexOf('/', "arn:aws:s3:::".length()));
  }

  private static Map<String, Integer> taggingsPerObject() {
    Map<String, Integer> counts = new HashMap<>();
    for (ForwardingS3Proxy.Request r : proxy.requests()) {
      if (TAGGING.test(r)) {
        counts.merge(r.path(), 1, Integer::sum);
      }
    }
    return counts;
  }
}
