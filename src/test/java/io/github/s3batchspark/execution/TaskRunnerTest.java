package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.operation.S3PutObjectTagging;
import io.github.s3batchspark.operation.S3PutObjectTagging.ObjectTag;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import io.github.s3batchspark.operation.ObjectOperation;
import io.github.s3batchspark.operation.ObjectScope;
import io.github.s3batchspark.operation.PolicyStatement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;

class TaskRunnerTest {
  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();
  private final ExecutorClients clients = ExecutorClients.get(server.clientSettings());

  @Test
  void everyTaskEndsAsExactlyOneResultWithManyInFlight() {
    String bucket = Buckets.create(s3, "runner");
    List<ObjectTask> tasks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Buckets.put(s3, bucket, "k" + i, "v" + i);
      tasks.add(new ObjectTask(i, bucket, "k" + i, null, null));
    }
    var op = new S3PutObjectTagging(List.of(new ObjectTag("team", "data")));

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(op, clients, RunnerSettings.defaults().withInFlight(32))
        .run(tasks.iterator()).forEachRemaining(results::add);

    assertEquals(300, results.size());
    Set<Long> ids = results.stream().map(TaskResult::taskId).collect(Collectors.toSet());
    assertEquals(300, new HashSet<>(ids).size());
    assertTrue(results.stream().allMatch(TaskResult::succeeded), () -> results.get(0).toString());
    assertEquals("data", s3.getObjectTagging(b -> b.bucket(bucket).key("k299")).tagSet().get(0)
        .value());
  }

  @Test
  void taggingOfChangedObjectIsRefusedByEtagGuard() {
    String bucket = Buckets.create(s3, "guard");
    String oldEtag = Buckets.put(s3, bucket, "doc", "first");
    Buckets.put(s3, bucket, "doc", "second, after the inventory");
    var op = new S3PutObjectTagging(List.of(new ObjectTag("a", "b")));

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(op, clients, RunnerSettings.defaults())
        .run(List.of(new ObjectTask(0, bucket, "doc", null, oldEtag)).iterator())
        .forEachRemaining(results::add);

    TaskResult r = results.get(0);
    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertTrue(s3.getObjectTagging(b -> b.bucket(bucket).key("doc")).tagSet().isEmpty());
  }

  @Test
  void missingObjectFailsAtOnceWithoutRetries() {
    String bucket = Buckets.create(s3, "missing");
    var op = new S3PutObjectTagging(List.of(new ObjectTag("a", "b")));
    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(op, clients, RunnerSettings.defaults())
        .run(List.of(new ObjectTask(7, bucket, "nope", null, null)).iterator())
        .forEachRemaining(results::add);
    assertEquals(TaskResult.FAILED, results.get(0).taskStatus());
    assertEquals(404, results.get(0).httpStatusCode());
    assertEquals(1, results.get(0).attempts());
  }

  @Test
  void prefixThatAnswersSlowDownIsSentAboutAsManyRequestsAsItTakes() {
    // Four prefixes, each taking 4 requests at once and refusing the rest: with 64 in flight a
    // fixed window would be refused three requests in four.
    var store = new PrefixLimitedStore(prefix -> 4, prefix -> 3);
    List<ObjectTask> tasks = spreadOver(4, 2_000);

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(store, null, RunnerSettings.defaults().withInFlight(64).withRetries(50, 2, 50),
        PrefixConcurrency.isolated()).run(tasks.iterator()).forEachRemaining(results::add);

    assertEquals(2_000, results.stream().map(TaskResult::taskId).distinct().count());
    assertTrue(results.stream().allMatch(TaskResult::succeeded));
    double refused = (double) store.refused() / store.requests();
    assertTrue(refused < 0.15, () -> "refused " + store.refused() + " of " + store.requests());
    assertEquals(store.requests() - 2_000,
        results.stream().mapToLong(r -> r.attempts() - 1).sum(), "every refusal one retry");
  }

  @Test
  void withoutAdaptingTheSameStoreRefusesMostRequests() {
    var store = new PrefixLimitedStore(prefix -> 4, prefix -> 3);

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(store, null, RunnerSettings.defaults().withInFlight(64).withRetries(50, 2, 50)
            .withAdaptivePrefixConcurrency(false), PrefixConcurrency.isolated())
        .run(spreadOver(4, 2_000).iterator()).forEachRemaining(results::add);

    // Some tasks may even run out of attempts here: what matters is every task has its row.
    assertEquals(2_000, results.stream().map(TaskResult::taskId).distinct().count());
    assertTrue(store.refused() > store.requests() / 3,
        () -> "refused only " + store.refused() + " of " + store.requests());
  }

  @Test
  void throttledPrefixDoesNotHoldBackTheOthers() {
    // Prefix a/ takes one request at a time, slowly; b/ takes everything at once, quickly.
    var store = new PrefixLimitedStore(prefix -> prefix.endsWith("/a/") ? 1 : 1_000,
        prefix -> prefix.endsWith("/a/") ? 10 : 1);
    List<ObjectTask> tasks = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      tasks.add(new ObjectTask(i, "bucket", (i % 2 == 0 ? "a/" : "b/") + i, null, null));
    }

    List<String> order = new ArrayList<>();
    new TaskRunner(store, null, RunnerSettings.defaults().withInFlight(32).withRetries(50, 2, 20),
        PrefixConcurrency.isolated()).run(tasks.iterator())
        .forEachRemaining(r -> order.add(r.key().substring(0, 1)));

    assertEquals(400, order.size());
    int lastOfB = order.lastIndexOf("b");
    long aBeforeThat = order.subList(0, lastOfB).stream().filter("a"::equals).count();
    assertTrue(aBeforeThat < 100, () -> "b/ waited for " + aBeforeThat + " tasks of a/");
    assertTrue(store.mostInFlight("bucket/b/") > 10, "b/ kept many requests going");
  }

  @Test
  @Timeout(60)
  void tasksOfOneObjectTakeTurnsInInputOrderThroughRetriesAndThrottling() {
    // Three objects with four versions each, all in one prefix, in rounds (every object's
    // first version, then every object's second...). The first attempt of each object's first
    // version meets SlowDown, which also drops the prefix's limit: the versions behind it must
    // wait for its retry, without taking the prefix's few slots from the other objects.
    var store = new VersionedStore(Set.of(0L, 1L, 2L));
    List<ObjectTask> tasks = new ArrayList<>();
    for (int version = 0; version < 4; version++) {
      for (int object = 0; object < 3; object++) {
        tasks.add(new ObjectTask(version * 3L + object, "bucket", "docs/" + object,
            "v" + version, null));
      }
    }

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(store, null, RunnerSettings.defaults().withInFlight(16).withRetries(5, 20, 20),
        PrefixConcurrency.isolated()).run(tasks.iterator()).forEachRemaining(results::add);

    assertTrue(results.stream().allMatch(TaskResult::succeeded), results::toString);
    assertEquals(List.of(), store.overlaps(), "two tasks of one object were in flight at once");
    for (int object = 0; object < 3; object++) {
      assertEquals(List.of("v0", "v1", "v2", "v3"), store.writes("docs/" + object));
    }
  }

  @Test
  @Timeout(60)
  void stopSignalEndsThePartitionWithOneResultForEveryTaskThatStarted() {
    // Tasks of one prefix take turns with retries (SlowDown on each first attempt of some), so
    // that when the stop fires there are tasks in flight, waiting to retry and parked.
    var store = new VersionedStore(Set.of(3L, 40L, 77L, 150L));
    List<ObjectTask> tasks = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      tasks.add(new ObjectTask(i, "bucket", "docs/" + (i % 50), "v" + i / 50, null));
    }
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    TaskSignals signals = new TaskSignals(stop::get, TaskCounters.none());

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(store, null, RunnerSettings.defaults().withInFlight(16).withRetries(5, 20, 20),
        PrefixConcurrency.isolated(), signals).run(tasks.iterator()).forEachRemaining(r -> {
          results.add(r);
          if (results.size() == 100) {
            stop.set(true);
          }
        });

    Set<String> started = store.started();
    Set<String> ended = results.stream().map(r -> r.key() + " " + r.versionId())
        .collect(Collectors.toSet());
    assertEquals(started, ended, "every task that made a request has its result, no other");
    assertEquals(results.size(), ended.size(), "one result per task");
    assertTrue(results.size() < 100 + 16 + 4, () -> results.size() + " tasks ended: only those"
        + " in flight when the stop came may end after it");
  }

  @Test
  @Timeout(60)
  void inFlightShareSizesThePartitionsWindowAndAChangeTakesEffectWhileItRuns() {
    var probe = new ConcurrencyProbe();
    List<ObjectTask> tasks = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      tasks.add(new ObjectTask(i, "bucket", "k/" + i, null, null));
    }
    java.util.concurrent.atomic.AtomicReference<Double> share =
        new java.util.concurrent.atomic.AtomicReference<>(0.25);
    Steering steering = new Steering() {
      @Override
      public boolean stopRequested() {
        return false;
      }

      @Override
      public double inFlightShare() {
        return share.get();
      }
    };

    List<Integer> mostBeforeAndAfter = new ArrayList<>();
    new TaskRunner(probe, null, RunnerSettings.defaults().withInFlight(16)
            .withAdaptivePrefixConcurrency(false), PrefixConcurrency.isolated(),
        new TaskSignals(steering, TaskCounters.none())).run(tasks.iterator())
        .forEachRemaining(r -> {
          if (r.taskId() == 300) { // half way: a higher priority's share arrives
            mostBeforeAndAfter.add(probe.mostAndReset());
            share.set(1.0);
          }
        });
    mostBeforeAndAfter.add(probe.mostAndReset());

    assertEquals(List.of(4, 16), mostBeforeAndAfter,
        "a quarter of 16 in flight, then all 16 once the share is 1");
  }

  @Test
  @Timeout(60)
  void startCapGrantsNoMoreStartsThanItsBudgetAndEveryStartedObjectEndsWithOneResult() {
    // A window of 64 would start all 60 objects at once; a cap of 5 starts/s grants one at
    // once (the bucket holds one) and one per 200 ms after, until the steering says stop.
    String bucket = Buckets.create(s3, "capped");
    List<ObjectTask> tasks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Buckets.put(s3, bucket, "k" + i, "v");
      tasks.add(new ObjectTask(i, bucket, "k" + i, null, null));
    }
    var steering = new CapThenStop(5, 1_500_000_000L);
    List<TaskResult> results = new ArrayList<>();
    try (var proxy = new io.github.s3batchspark.testing.ForwardingS3Proxy(server)) {
      new TaskRunner(new S3PutObjectTagging(List.of(new ObjectTag("capped", "yes"))),
          ExecutorClients.get(proxy.clientSettings()), RunnerSettings.defaults().withInFlight(64),
          PrefixConcurrency.isolated(), new TaskSignals(steering, TaskCounters.none()))
          .run(tasks.iterator()).forEachRemaining(results::add);

      long tagged = proxy.requests().stream()
          .filter(r -> r.method().equals("PUT") && r.query() != null
              && r.query().contains("tagging")).count();
      // Every start was granted before the stop was seen, at most one token plus 5 a second
      // from the first question to the stop: counted on the clock the runner paces by.
      long budget = 1 + (long) Math.floor(5 * steering.secondsUntilStopSeen());
      assertTrue(tagged >= 1 && tagged <= budget,
          () -> tagged + " objects tagged; the cap allowed " + budget);
      assertEquals(tagged, results.size(), "one result per object started");
      assertEquals(tagged, results.stream().map(TaskResult::taskId).distinct().count());
      assertTrue(results.stream().allMatch(TaskResult::succeeded));
      assertTrue(steering.partitionEnded, "the partition said it ended, freeing its part");
    }
  }

  /** Caps starts at a fixed rate, then asks to stop once {@code stopAfterNanos} have passed. */
  private static final class CapThenStop implements Steering {
    private final double perSecond;
    private final long stopAfterNanos;
    private long firstAsked = -1;
    private long stopSeen = -1;
    private boolean partitionEnded;

    CapThenStop(double perSecond, long stopAfterNanos) {
      this.perSecond = perSecond;
      this.stopAfterNanos = stopAfterNanos;
    }

    @Override
    public boolean stopRequested() {
      long now = System.nanoTime();
      if (firstAsked < 0) {
        firstAsked = now;
      }
      if (stopSeen < 0 && now - firstAsked >= stopAfterNanos) {
        stopSeen = now;
      }
      return stopSeen >= 0;
    }

    @Override
    public double startsPerSecond() {
      return perSecond;
    }

    @Override
    public void partitionEnded() {
      partitionEnded = true;
    }

    double secondsUntilStopSeen() {
      return (stopSeen - firstAsked) / 1e9;
    }
  }

  /** Succeeds every task after a few milliseconds, and records the most ever in flight. */
  private static final class ConcurrencyProbe implements ObjectOperation {
    private final transient java.util.concurrent.atomic.AtomicInteger inFlight =
        new java.util.concurrent.atomic.AtomicInteger();
    private final transient java.util.concurrent.atomic.AtomicInteger most =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String name() {
      return "ConcurrencyProbe";
    }

    @Override
    public List<io.github.s3batchspark.operation.PolicyStatement> permissions(
        io.github.s3batchspark.operation.ObjectScope objects) {
      return List.of(); // it makes no request
    }

    @Override
    public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return CompletableFuture.supplyAsync(() -> {
        VersionedStore.sleep(3);
        inFlight.decrementAndGet();
        return OperationResult.ok("probed");
      });
    }

    int mostAndReset() {
      return most.getAndSet(inFlight.get());
    }
  }

  /**
   * An operation that keeps version order and records, per object, the versions it wrote and
   * any moment two tasks of one object were in flight together; the first attempt of the
   * listed tasks is refused with SlowDown.
   */
  private static final class VersionedStore implements ObjectOperation {
    private final transient Set<Long> refuseOnce;
    private final transient Map<String, List<String>> writes = new ConcurrentHashMap<>();
    private final transient Set<String> busy = ConcurrentHashMap.newKeySet();
    private final transient List<String> overlaps = new CopyOnWriteArrayList<>();
    private final transient Set<Long> refused = ConcurrentHashMap.newKeySet();
    private final transient Set<String> started = ConcurrentHashMap.newKeySet();

    VersionedStore(Set<Long> refuseOnce) {
      this.refuseOnce = refuseOnce;
    }

    /** A stand-in for a store, sending no request to any: no IAM permission. */
    @Override
    public List<PolicyStatement> permissions(ObjectScope objects) {
      return List.of();
    }

    @Override
    public String name() {
      return "VersionedStore";
    }

    @Override
    public boolean keepsVersionOrder() {
      return true;
    }

    @Override
    public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
      started.add(task.key() + " " + task.versionId());
      if (!busy.add(task.key())) {
        overlaps.add(task.key() + " " + task.versionId());
      }
      boolean refuse = refuseOnce.contains(task.taskId()) && refused.add(task.taskId());
      return CompletableFuture.supplyAsync(() -> {
        sleep(3);
        busy.remove(task.key());
        if (refuse) {
          throw new TaskFailure("SlowDown", 503, "Please reduce your request rate.", true);
        }
        writes.computeIfAbsent(task.key(), k -> new CopyOnWriteArrayList<>())
            .add(task.versionId());
        return OperationResult.ok("written");
      });
    }

    List<String> writes(String key) {
      return writes.getOrDefault(key, List.of());
    }

    List<String> overlaps() {
      return overlaps;
    }

    /** Every task that made at least one request, as {@code key version}. */
    Set<String> started() {
      return new HashSet<>(started);
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<ObjectTask> spreadOver(int prefixes, int count) {
    List<ObjectTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(new ObjectTask(i, "bucket", "p" + (i % prefixes) + "/k" + i, null, null));
    }
    return tasks;
  }
}
