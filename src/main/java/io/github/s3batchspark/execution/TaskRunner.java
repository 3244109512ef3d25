package io.github.s3batchspark.execution;

import io.github.s3batchspark.execution.PrefixConcurrency.Signal;
import io.github.s3batchspark.operation.ObjectOperation;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one operation over the tasks of one partition with many requests in flight.
 *
 * <p>The runner is a pull-based iterator: each call to {@code next} tops the window up from the
 * input, then waits for a task to end. So a partition holds a bounded number of tasks, keeps up
 * to {@code inFlight} of them going, and hands Spark one {@link TaskResult} per input task, in
 * completion order. Retryable errors are retried with exponential backoff and full jitter;
 * everything else fails the task at once. The runner knows nothing about the operation it runs.
 *
 * <p>With {@link RunnerSettings#adaptivePrefixConcurrency()} each task also takes a slot of its
 * key prefix from the JVM's {@link PrefixConcurrency}, whose limits shrink when S3 answers
 * SlowDown and grow while it does not. A task whose prefix is full waits aside (up to
 * {@link #PARKED_PER_SLOT} per slot of the window) while tasks of other prefixes go ahead, so one
 * throttled prefix does not stall the partition.
 *
 * <p>For an operation that {@linkplain ObjectOperation#keepsVersionOrder keeps version order},
 * the tasks of one object (bucket and key) take turns in the order the input gives them: a task
 * starts only when the one before it has ended for good, its retries included, and waits aside
 * meanwhile without holding a slot of its prefix.
 *
 * <p>When the run's steering caps the objects a partition starts per second (a job's priority
 * share on executors short of CPU), each object taken from the input takes a token of a
 * {@link StartPacer}; with none left, the thread waits for the next token or for a request to
 * end, whichever comes first, and handles ends meanwhile as always.
 *
 * <p>All bookkeeping happens on the thread that iterates (Spark's task thread): request
 * callbacks, retry timers and other partitions' releases only post events to its queue, so the
 * window needs no locks.
 */
public final class TaskRunner {
  /**
   * The longest a partition waits for its next start token before it asks the steering again,
   * so that a lifted or raised cap is seen within a fraction of a second.
   */
  static final long LONGEST_PACING_WAIT_NANOS = 250_000_000L;
  /** Tasks that may wait for their prefix, per slot of the window. */
  static final int PARKED_PER_SLOT = 4;

  private static final ScheduledExecutorService RETRY_TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "s3batch-retry-timer");
        t.setDaemon(true);
        return t;
      });

  private final ObjectOperation operation;
  private final ExecutorClients clients;
  private final RunnerSettings settings;
  private final PrefixConcurrency prefixes;
  private final TaskSignals signals;

  /** A runner that shares what it learns of each prefix with the JVM's other partitions. */
  public TaskRunner(ObjectOperation operation, ExecutorClients clients, RunnerSettings settings) {
    this(operation, clients, settings, PrefixConcurrency.shared());
  }

  public TaskRunner(ObjectOperation operation, ExecutorClients clients, RunnerSettings settings,
      PrefixConcurrency prefixes) {
    this(operation, clients, settings, prefixes, TaskSignals.none());
  }

  /**
   * A runner that counts for the driver and obeys its stop signal: once the signal fires, no
   * task starts, and the iterator ends when the tasks already started have ended (retries
   * included), so that every task that ran has its result.
   */
  public TaskRunner(ObjectOperation operation, ExecutorClients clients, RunnerSettings settings,
      PrefixConcurrency prefixes, TaskSignals signals) {
    this.operation = operation;
    this.clients = clients;
    this.settings = settings;
    this.prefixes = prefixes;
    this.signals = signals;
  }

  public Iterator<TaskResult> run(Iterator<ObjectTask> tasks) {
    return new Window(tasks);
  }

  /** The object a task acts on, whose tasks take turns when the operation keeps version order. */
  private record ObjectId(String bucket, String key) {
    static ObjectId of(Pending pending) {
      return new ObjectId(pending.task.bucket(), pending.task.key());
    }
  }

  /** A task between being taken from the input and being handed out as a result. */
  private static final class Pending {
    final ObjectTask task;
    final String prefix;
    final long startedAt = System.currentTimeMillis();
    int attempts;
    long attemptStartedNanos;

    Pending(ObjectTask task) {
      this.task = task;
      this.prefix = PrefixConcurrency.prefixOf(task);
    }
  }

  /** What the iterating thread is told by callbacks, timers and other partitions. */
  private sealed interface Event {}

  private record AttemptEnded(Pending pending, OperationResult result, Throwable failure)
      implements Event {}

  private record RetryDue(Pending pending) implements Event {}

  private record PrefixReleased(String prefix) implements Event {}

  private final class Window implements Iterator<TaskResult> {
    private final Iterator<ObjectTask> input;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ArrayDeque<TaskResult> finished = new ArrayDeque<>();
    /** Tasks waiting for a slot of their prefix, in arrival order per prefix. */
    private final Map<String, ArrayDeque<Pending>> parked = new LinkedHashMap<>();
    /** Prefixes with parked tasks that a release may have made room for. */
    private final Set<String> released = new LinkedHashSet<>();
    /**
     * For an operation that keeps version order: each object with a task on its turn, and the
     * tasks of the object waiting for theirs, in input order.
     */
    private final Map<ObjectId, ArrayDeque<Pending>> turns = new HashMap<>();
    private final boolean takeTurns = operation.keepsVersionOrder();
    private final int parkedLimit = settings.inFlight() * PARKED_PER_SLOT;
    private int running;
    private int parkedCount;
    private int held;
    private boolean stopping;
    /** Requests this partition may keep in flight now: its share of the configured window. */
    private int window = settings.inFlight();
    private final StartPacer pacer = new StartPacer();
    /** How long until the next start is due, when the pacer holds back an object; else 0. */
    private long pacingWaitNanos;
    private boolean ended;

    Window(Iterator<ObjectTask> input) {
      this.input = input;
    }

    @Override
    public boolean hasNext() {
      schedule();
      try {
        while (held == 0 && pacingWaitNanos > 0) { // nothing started yet: the cap holds it
          awaitEvents();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the next start", e);
      }
      if (held == 0 && !ended) {
        ended = true;
        signals.steering().partitionEnded();
      }
      return held > 0;
    }

    @Override
    public TaskResult next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      try {
        while (finished.isEmpty()) {
          awaitEvents();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for S3 requests", e);
      }
      held--;
      return finished.poll();
    }

    /**
     * Waits for an event (until the next start is due, when the pacer holds one back), handles
     * it and whatever else came meanwhile, then starts what may start.
     */
    private void awaitEvents() throws InterruptedException {
      Event first = pacingWaitNanos > 0
          ? events.poll(Math.min(pacingWaitNanos, LONGEST_PACING_WAIT_NANOS),
              TimeUnit.NANOSECONDS)
          : events.take();
      for (Event e = first; e != null; e = events.poll()) {
        handle(e);
      }
      schedule();
    }

    /** Starts what may start: waiting tasks whose prefix has room first, then new ones. */
    private void schedule() {
      Steering steering = signals.steering();
      if (!stopping && steering.stopRequested()) {
        stopping = true;
        dropUnstarted();
      }
      window = Math.max(1, (int) Math.round(settings.inFlight() * steering.inFlightShare()));
      long now = System.nanoTime();
      pacer.pace(steering.startsPerSecond(), now);
      pacingWaitNanos = 0;
      for (Iterator<String> it = released.iterator(); it.hasNext() && room(); ) {
        String prefix = it.next();
        ArrayDeque<Pending> waiting = parked.get(prefix);
        while (waiting != null && !waiting.isEmpty() && room() && acquire(prefix)) {
          parkedCount--;
          start(waiting.poll());
        }
        if (waiting == null || waiting.isEmpty()) {
          parked.remove(prefix);
          it.remove();
        } else if (room()) {
          it.remove(); // the prefix is full again; its next release brings it back
        }
      }
      while (!stopping && room() && parkedCount < parkedLimit && input.hasNext()) {
        if (!pacer.tryStart(now)) {
          pacingWaitNanos = Math.max(1, pacer.nanosUntilNextStart(now));
          break;
        }
        Pending pending = new Pending(input.next());
        held++;
        if (takeTurns && waitsForItsTurn(pending)) {
          continue;
        }
        dispatch(pending);
      }
    }

    /**
     * Forgets the tasks taken from the input that have not made a request yet: they did not
     * run, so they have no result. Tasks waiting to retry have run, and keep their place.
     */
    private void dropUnstarted() {
      for (ArrayDeque<Pending> waiting : parked.values()) {
        int before = waiting.size();
        waiting.removeIf(p -> p.attempts == 0);
        forget(before - waiting.size());
      }
      parked.values().removeIf(ArrayDeque::isEmpty);
      for (ArrayDeque<Pending> waiting : turns.values()) {
        forget(waiting.size()); // behind their object's task on turn: none has started
        waiting.clear();
      }
    }

    private void forget(int count) {
      held -= count;
      parkedCount -= count;
    }

    /** Queues the task behind its object's task on turn, if there is one. */
    private boolean waitsForItsTurn(Pending pending) {
      ObjectId object = ObjectId.of(pending);
      ArrayDeque<Pending> waiting = turns.get(object);
      if (waiting == null) {
        turns.put(object, new ArrayDeque<>(1));
        return false;
      }
      waiting.addLast(pending);
      parkedCount++;
      return true;
    }

    /** The task has its result: the next task of its object, if any, takes its turn. */
    private void ended(Pending pending) {
      if (!takeTurns) {
        return;
      }
      ObjectId object = ObjectId.of(pending);
      ArrayDeque<Pending> waiting = turns.get(object);
      Pending next = waiting.poll();
      if (next == null) {
        turns.remove(object);
      } else {
        parkedCount--;
        dispatch(next);
      }
    }

    private boolean room() {
      return running < window;
    }

    /** Starts the task now if its prefix has room and nothing of the prefix waits before it. */
    private void dispatch(Pending pending) {
      if (!parked.containsKey(pending.prefix) && acquire(pending.prefix)) {
        start(pending);
      } else {
        park(pending, false);
      }
    }

    private boolean acquire(String prefix) {
      return !settings.adaptivePrefixConcurrency()
          || prefixes.acquireOrWait(prefix, p -> events.add(new PrefixReleased(p)));
    }

    private void park(Pending pending, boolean first) {
      ArrayDeque<Pending> waiting = parked.computeIfAbsent(pending.prefix, p -> new ArrayDeque<>());
      if (first) {
        waiting.addFirst(pending);
      } else {
        waiting.addLast(pending);
      }
      parkedCount++;
    }

    private void start(Pending pending) {
      running++;
      pending.attempts++;
      pending.attemptStartedNanos = System.nanoTime();
      CompletableFuture<OperationResult> future;
      try {
        future = operation.apply(pending.task, clients);
      } catch (RuntimeException thrownBeforeAnyRequest) {
        future = CompletableFuture.failedFuture(thrownBeforeAnyRequest);
      }
      future.whenComplete((result, failure) ->
          events.add(new AttemptEnded(pending, result, failure)));
    }

    private void handle(Event event) {
      if (event instanceof AttemptEnded ended) {
        attemptEnded(ended);
      } else if (event instanceof RetryDue due) {
        park(due.pending(), true); // it waited its backoff: first in line for its prefix
        released.add(due.pending().prefix);
      } else if (event instanceof PrefixReleased r && parked.containsKey(r.prefix())) {
        released.add(r.prefix());
      }
    }

    private void attemptEnded(AttemptEnded ended) {
      Pending pending = ended.pending();
      running--;
      TaskError error = ended.failure() == null ? null
          : TaskError.classify(ended.failure(), pending.task.versionId() != null);
      if (settings.adaptivePrefixConcurrency()) {
        prefixes.release(pending.prefix, pending.attemptStartedNanos, signalOf(error));
      }
      if (parked.containsKey(pending.prefix)) {
        released.add(pending.prefix);
      }
      if (error != null && error.throttled()) {
        signals.counters().throttledAnswer();
      }
      if (error != null && error.retryable() && pending.attempts < settings.maxAttempts()) {
        signals.counters().retrying();
        RETRY_TIMER.schedule(() -> events.add(new RetryDue(pending)),
            backoffMillis(pending.attempts), TimeUnit.MILLISECONDS);
        return;
      }
      finished.add(error == null
          ? TaskResult.succeeded(pending.task, ended.result(), pending.attempts,
              pending.startedAt)
          : TaskResult.failed(pending.task, error, pending.attempts, pending.startedAt));
      signals.counters().ended(error == null);
      ended(pending);
    }

    private static Signal signalOf(TaskError error) {
      if (error == null) {
        return Signal.ACCEPTED;
      }
      return error.throttled() ? Signal.THROTTLED : Signal.NEUTRAL;
    }

    private long backoffMillis(int attempt) {
      long ceiling = Math.min(settings.maxBackoffMs(),
          settings.baseBackoffMs() << Math.min(attempt - 1, 20));
      return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
  }
}
