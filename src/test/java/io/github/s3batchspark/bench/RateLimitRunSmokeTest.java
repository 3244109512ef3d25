package io.github.s3batchspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.PrefixConcurrency;
import io.github.s3batchspark.execution.RunnerSettings;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.execution.TaskRunner;
import io.github.s3batchspark.operation.S3PutObjectTagging;
import io.github.s3batchspark.operation.S3PutObjectTagging.ObjectTag;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small rate-limit run: tagging through the runner against a store that enforces S3's
 * per-prefix request rate (scaled down), so that SlowDown comes from going too fast rather
 * than at random. Counts only, never speed: the runner lowers the prefixes' limits, is refused
 * a small share of its requests, and every task succeeds exactly once. (How close it runs to
 * the allowed rate is the benchmark's {@code --rate-limit} run.)
 */
class RateLimitRunSmokeTest {
  /**
   * Enough that the first round trip, which meets the store with the whole window before any
   * SlowDown has come back (a hundred refusals or more), is not most of what the share counts.
   */
  private static final int TASKS = 1_000;
  private static final int PREFIXES = 2;
  /**
   * 3,500 writes per second per prefix times this: 52 per prefix, which 64 requests in flight
   * at 50 ms exceed many times over even on a loaded machine, and which takes about three
   * requests at once (below one, only the retries' backoff could slow a prefix down further).
   */
  private static final double RATE_SCALE = 0.015;
  private static LoadS3Server server;
  private static ExecutorClients clients;

  @BeforeAll
  static void start() {
    BenchCredentials.install();
    server = LoadS3Server.start(1, LoadSettings.none().withLatency(50).withRateLimit(RATE_SCALE));
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
  void slowDownShrinksEachPrefixsRequestsInFlightSoFewAreRefused() {
    PrefixConcurrency prefixes = PrefixConcurrency.isolated();
    Run run = run("adaptive", RunnerSettings.defaults(), prefixes);

    assertEquals(TASKS, run.succeeded(), "every task succeeds");
    assertTrue(prefixes.decreases() > 0, "SlowDown lowered the limits");
    String prefix = "rate-adaptive/photos/p0000/";
    assertTrue(prefixes.limit(prefix) < 64,
        () -> "the limit of " + prefix + " stays below the window: " + prefixes.limit(prefix));
    assertTrue(run.throttled() > 0, "the run went faster than the store allows");
    assertTrue(run.refusedShare() < 0.25,
        () -> "refused " + run.throttled() + " of " + run.requests() + " requests");
  }

  private record Run(long succeeded, long requests, long throttled) {
    double refusedShare() {
      return (double) throttled / requests;
    }
  }

  private static Run run(String label, RunnerSettings settings, PrefixConcurrency prefixes) {
    VirtualObjects objects = server.seed("rate-" + label, "photos/", PREFIXES, TASKS, 100);
    var operation = new S3PutObjectTagging(List.of(new ObjectTag("stage", label)));
    RunnerSettings runner = settings.withInFlight(64).withRetries(30, 5, 500);
    var before = server.stats().snapshot();

    List<TaskResult> results = new ArrayList<>();
    new TaskRunner(operation, clients, runner, prefixes).run(tasks(objects))
        .forEachRemaining(results::add);

    var seen = server.stats().phase(before);
    assertEquals(TASKS, results.stream().map(TaskResult::taskId).collect(Collectors.toSet())
        .size(), "each task exactly once");
    int tagSet = server.store().tagSetId(List.of(new ObjectStore.Tag("stage", label)));
    assertEquals(TASKS, objects.countWithTagSet(tagSet), "every object tagged");
    return new Run(results.stream().filter(TaskResult::succeeded).count(),
        seen.getOrDefault("requests", 0L), seen.getOrDefault("throttled", 0L));
  }

  /** Neighbouring tasks in different prefixes, as the job's spreading leaves them. */
  private static Iterator<ObjectTask> tasks(VirtualObjects objects) {
    return IntStream.range(0, objects.count())
        .mapToObj(i -> new ObjectTask(i, objects.bucket(), objects.key(i), null, null))
        .iterator();
  }
}
