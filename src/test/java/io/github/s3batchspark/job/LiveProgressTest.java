package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
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
 * A running job's counts, while it runs: handed to the run's watcher, written into the record
 * that other processes read, and published as a Spark metrics source (read here through Spark's
 * JMX sink, which the test session configures). The store is S3Mock behind a proxy that holds
 * each tagging request, so that the job lasts several heartbeats.
 */
class LiveProgressTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static final int OBJECTS = 400;
  private static ForwardingS3Proxy proxy;
  private static SparkSession spark;
  private static String bucket;
  private static String manifestEtag;

  @TempDir Path storeDir;

  @BeforeAll
  static void objectsBehindASlowProxy() throws Exception {
    spark = LocalSpark.session();
    bucket = Buckets.create(S3, "live");
    ExecutorService puts = Executors.newFixedThreadPool(16);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < OBJECTS; i++) {
      String key = "data/" + i;
      csv.append(bucket).append(',').append(key).append('\n');
      puts.submit(() -> Buckets.put(S3, bucket, key, "x"));
    }
    puts.shutdown();
    assertTrue(puts.awaitTermination(2, TimeUnit.MINUTES));
    manifestEtag = S3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    proxy = new ForwardingS3Proxy(SERVER);
    // 4 requests in flight (2 partitions of 2) held 100 ms: about 10 s of tasks
    proxy.delay(r -> r.method().equals("PUT") && r.query() != null
        && r.query().contains("tagging"), 100);
  }

  @AfterAll
  static void closeProxy() {
    proxy.close();
  }

  @Test
  @Timeout(180)
  void countsAdvanceInTheWatcherTheRecordAndTheMetricsSourceWhileTheJobRuns()
      throws Exception {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord job = taggingJob(store, "live");
    List<LiveProgress> watched = new CopyOnWriteArrayList<>();
    List<Long> recorded = new CopyOnWriteArrayList<>();
    List<Long> published = new CopyOnWriteArrayList<>();
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    JobRunner runner = new JobRunner(spark, store, slowSettings());

    JobRecord ended = runner.run(job.jobId(), progress -> {
      watched.add(progress);
      JobRecord stored = store.get(job.jobId()); // as describe-job reads it
      if (stored.status() == JobStatus.ACTIVE) {
        recorded.add(stored.progress().numberOfTasksSucceeded());
      }
      published.add(gauge(jmx, job.jobId(), "tasksSucceeded"));
    });

    assertEquals(JobStatus.COMPLETE, ended.status());
    assertEquals(OBJECTS, ended.progress().numberOfTasksSucceeded());
    assertTrue(watched.size() >= 2, "heartbeats while the tasks ran: " + watched);
    assertTrue(watched.stream().anyMatch(p -> p.succeeded() > 0 && p.succeeded() < OBJECTS),
        "the watcher saw the job part way: " + watched);
    assertTrue(recorded.stream().anyMatch(n -> n > 0 && n < OBJECTS),
        "the stored record advanced while the job was Active: " + recorded);
    for (int i = 1; i < recorded.size(); i++) {
      assertTrue(recorded.get(i) >= recorded.get(i - 1), "progress never goes back: " + recorded);
    }
    assertTrue(published.stream().anyMatch(n -> n > 0 && n < OBJECTS),
        "the metrics source, through JMX, showed the job part way: " + published);
    LiveProgress last = watched.get(watched.size() - 1);
    assertTrue(last.objectsPerSecond() > 0 && last.total() == OBJECTS, last.toString());
    assertTrue(ended.progress().elapsedTimeInActiveSeconds() >= 1,
        "time Active is counted: " + ended.progress());
  }

  @Test
  @Timeout(180)
  void withoutLiveProgressTheRecordShowsNoCountsUntilTheTasksEndAndNobodyIsHandedAny()
      throws Exception {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord job = taggingJob(store, "quiet");
    List<LiveProgress> watched = new CopyOnWriteArrayList<>();
    List<Long> recordedWhileActive = new CopyOnWriteArrayList<>();
    List<Long> published = new CopyOnWriteArrayList<>();
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    JobRunner runner = new JobRunner(spark, store, slowSettings().withLiveProgress(false));
    // describe-job from elsewhere, every half second, for as long as the run lasts
    ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
    reader.scheduleWithFixedDelay(() -> {
      JobRecord stored = store.get(job.jobId());
      if (stored.status() == JobStatus.ACTIVE) {
        recordedWhileActive.add(stored.progress().numberOfTasksSucceeded());
        published.add(gauge(jmx, job.jobId(), "tasksSucceeded"));
      }
    }, 0, 500, TimeUnit.MILLISECONDS);
    JobRecord ended;
    try {
      ended = runner.run(job.jobId(), watched::add);
    } finally {
      reader.shutdownNow();
    }

    assertEquals(JobStatus.COMPLETE, ended.status());
    assertEquals(OBJECTS, ended.progress().numberOfTasksSucceeded(),
        "the counts are true when the tasks end");
    assertTrue(recordedWhileActive.stream().filter(n -> n == 0).count() >= 4,
        "the job was read Active for seconds before its tasks ended: " + recordedWhileActive);
    // Active still while the reports are written, by then with the final counts
    assertTrue(recordedWhileActive.stream().allMatch(n -> n == 0 || n == OBJECTS),
        "nothing counted while the tasks ran: " + recordedWhileActive);
    assertTrue(published.stream().allMatch(n -> n == -1),
        "no metrics source: " + published);
    assertTrue(watched.isEmpty(), "no watcher handed counts: " + watched);
  }

  /** A job tagging every object of the manifest with {@code seen=value}. */
  private static JobRecord taggingJob(JobStore store, String value) {
    return JobRunner.create(store, JobSpecParser.parse("""
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "seen", "Value": "%s"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(value, bucket, manifestEtag)));
  }

  /** Through the slow proxy, 2 partitions of 2 requests in flight: about 10 s of tasks. */
  private static RunSettings slowSettings() {
    return RunSettings.defaults().withClients(proxy.clientSettings()).withPartitions(2)
        .withRunner(RunSettings.defaults().runner().withInFlight(2));
  }

  /** A gauge of the job's metrics source, as Spark's JMX sink registered it; -1 when absent. */
  private static long gauge(MBeanServer jmx, String jobId, String metric) {
    try {
      Set<ObjectName> names = jmx.queryNames(new ObjectName("metrics:name=*.s3batch.job-"
          + jobId + "." + metric + ",*"), null);
      if (names.isEmpty()) {
        return -1;
      }
      return ((Number) jmx.getAttribute(names.iterator().next(), "Value")).longValue();
    } catch (Exception e) {
      throw new AssertionError("cannot read the gauge " + metric + " through JMX", e);
    }
  }
}
