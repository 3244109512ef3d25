package io.github.s3batchspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.RunnerSettings;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.execution.TaskRunner;
import io.github.s3batchspark.operation.S3PutObjectTagging;
import io.github.s3batchspark.operation.S3PutObjectTagging.ObjectTag;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small fault run: tagging tasks through the runner against a store that answers 10 % of
 * them 503 SlowDown, 1 % 500 InternalError and resets 1 % of connections. Counts only, never
 * speed: every task succeeds, each exactly once, and every injected fault shows up as one
 * extra attempt in the results.
 */
class FaultRunSmokeTest {
  private static final int TASKS = 2_000;
  private static LoadS3Server server;
  private static ExecutorClients clients;

  @BeforeAll
  static void start() {
    BenchCredentials.install();
    server = LoadS3Server.start(1, LoadSettings.none().withLatency(2));
    clients = ExecutorClients.get(ClientSettings.defaults().withCallerCredentials()
        .withEndpoint(server.endpoint())
        .withRegion("us-east-1"));
  }

  @AfterAll
  static void stop() {
    clients.close();
    server.close();
  }

  @Test
  void everyTaskSucceedsExactlyOnceThroughInjectedFaults() {
    VirtualObjects objects = server.seed("fault-run", "photos/", 16, TASKS, 100);
    server.settings(server.settings().withFaults(0.10, 0.01, 0.01)
        .withFaultedOperations(Set.of("PutObjectTagging")));
    long faultsBefore = injectedFaults();
    var operation = new S3PutObjectTagging(List.of(new ObjectTag("stage", "fault-run")));
    // Short backoff keeps the test quick; ten attempts make a task that never succeeds
    // (12 % faults each time) a one-in-a-billion event.
    RunnerSettings runner = RunnerSettings.defaults().withInFlight(64).withRetries(10, 5, 200);

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(operation, clients, runner).run(tasks(objects))
        .forEachRemaining(results::add);

    assertEquals(TASKS, results.size());
    assertEquals(TASKS, results.stream().map(TaskResult::taskId).collect(Collectors.toSet())
        .size(), "each task exactly once");
    assertEquals(List.of(), results.stream().filter(r -> !r.succeeded()).limit(3).toList());
    long faults = injectedFaults() - faultsBefore;
    long retries = results.stream().mapToLong(r -> r.attempts() - 1).sum();
    assertTrue(faults > 0, "the run saw no fault at all");
    assertEquals(faults, retries, "every injected fault is one retry, counted in the results");
    assertTrue(results.stream().anyMatch(r -> r.attempts() > 1));
    int tagSet = server.store().tagSetId(List.of(new ObjectStore.Tag("stage", "fault-run")));
    assertEquals(TASKS, objects.countWithTagSet(tagSet));
    assertTrue(IntStream.range(0, TASKS).allMatch(i -> objects.tagWrites(i) == 1),
        "each object tagged by exactly one request");
  }

  private static long injectedFaults() {
    return server.stats().get("fault.SlowDown") + server.stats().get("fault.InternalError")
        + server.stats().get("fault.reset");
  }

  private static Iterator<ObjectTask> tasks(VirtualObjects objects) {
    return IntStream.range(0, objects.count())
        .mapToObj(i -> new ObjectTask(i, objects.bucket(), objects.key(i), null, null))
        .iterator();
  }
}
