package io.github.s3batchspark.execution;

import io.github.s3batchspark.operation.ObjectOperation;
import io.github.s3batchspark.operation.ObjectScope;
import io.github.s3batchspark.operation.PolicyStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * An operation that stands for a store which answers 503 SlowDown to any request beyond a
 * number of requests in flight per prefix, and takes a fixed time to answer. Unlike a rate
 * limit, the cap holds however fast or slow the machine running the test is, so the runner's
 * response to SlowDown can be checked by counts alone.
 */
final class PrefixLimitedStore implements ObjectOperation {
  private static final ScheduledExecutorService ANSWERS = Executors.newScheduledThreadPool(2,
      r -> {
        Thread t = new Thread(r, "prefix-limited-store");
        t.setDaemon(true);
        return t;
      });

  private final transient ToIntFunction<String> capOfPrefix;
  private final transient ToIntFunction<String> millisOfPrefix;
  private final transient Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final transient Map<String, AtomicInteger> mostInFlight = new ConcurrentHashMap<>();
  private final transient AtomicLong requests = new AtomicLong();
  private final transient AtomicLong refused = new AtomicLong();

  PrefixLimitedStore(ToIntFunction<String> capOfPrefix, ToIntFunction<String> millisOfPrefix) {
    this.capOfPrefix = capOfPrefix;
    this.millisOfPrefix = millisOfPrefix;
  }

  /** A stand-in for a store, sending no request to any: no IAM permission. */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of();
  }

  @Override
  public String name() {
    return "PrefixLimitedStore";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    String prefix = PrefixConcurrency.prefixOf(task);
    requests.incrementAndGet();
    int now = inFlight.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
    mostInFlight.computeIfAbsent(prefix, p -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    boolean admitted = now <= capOfPrefix.applyAsInt(prefix);
    if (!admitted) {
      refused.incrementAndGet();
    }
    CompletableFuture<OperationResult> answer = new CompletableFuture<>();
    ANSWERS.schedule(() -> {
      inFlight.get(prefix).decrementAndGet();
      if (admitted) {
        answer.complete(OperationResult.ok("done"));
      } else {
        answer.completeExceptionally(new TaskFailure("SlowDown", 503,
            "Please reduce your request rate.", true));
      }
    }, millisOfPrefix.applyAsInt(prefix), TimeUnit.MILLISECONDS);
    return answer;
  }

  long requests() {
    return requests.get();
  }

  long refused() {
    return refused.get();
  }

  int mostInFlight(String prefix) {
    AtomicInteger most = mostInFlight.get(prefix);
    return most == null ? 0 : most.get();
  }
}
