package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.execution.TaskFailure;
import io.github.s3batchspark.function.DynamoDbResults;
import io.github.s3batchspark.function.FunctionInput;
import io.github.s3batchspark.function.FunctionResult;
import io.github.s3batchspark.function.GzipCompress;
import io.github.s3batchspark.function.ImageThumbnails;
import io.github.s3batchspark.function.ObjectFunction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs the job's {@link ObjectFunction} once per object on the executors (our extension
 * {@code Operation.JavaFunction}), reading its answer as LambdaInvoke reads a function's.
 *
 * <p>Functions may block, so they run on a pool of their own ({@code Threads} per executor JVM)
 * and never hold up the runner's window or the SDK's event loop. Each call gets
 * {@code TimeoutSeconds} from the moment it starts (not while it waits for a thread); past that
 * its task fails with {@link #TIMEOUT} and its thread is interrupted (one that ignores the
 * interrupt keeps its thread, and another takes its place meanwhile). The function's class is
 * loaded once per JVM through the thread's context class loader, which sees
 * {@code spark-submit --jars}.
 *
 * <p>The job spec names a class, and a job spec is data: on the driver the class is only
 * checked ({@link #checkLoadable}), never initialised or built, so naming a class runs none of
 * its code there. Only a public, concrete {@link ObjectFunction} with a public no-argument
 * constructor passes; it is built on the executors when the job runs, which is the first time
 * any of its code runs.
 */
public final class JavaFunction implements ObjectOperation {
  public static final String TIMEOUT = "FunctionTimeout";
  public static final String INVALID_RESULT = "InvalidFunctionResult";
  /** The error code of tasks whose function could not be built on the executor. */
  public static final String INVALID_FUNCTION = "InvalidFunction";
  /** Past Lambda's 15 minutes on purpose: long work is what functions on executors are for. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 3600;

  /** Short names of the functions that ship with this project. */
  public static final Map<String, String> BUILT_INS = Map.of(
      "ImageThumbnails", ImageThumbnails.class.getName(),
      "GzipCompress", GzipCompress.class.getName(),
      "DynamoDbResults", DynamoDbResults.class.getName());

  private static final Map<String, ObjectFunction> INSTANCES = new ConcurrentHashMap<>();
  private static final Logger LOG = LoggerFactory.getLogger(JavaFunction.class);
  private static final Map<Integer, ThreadPoolExecutor> POOLS = new ConcurrentHashMap<>();
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final String className;
  private final TreeMap<String, String> userArguments;
  private final long timeoutMillis;
  private final int threads;
  private final String jobId;

  /**
   * @param className     a class implementing {@link ObjectFunction}, or a built-in's short name
   * @param userArguments passed to every call (null for none)
   * @param timeoutMillis how long one call may run
   * @param threads       calls at once per executor JVM
   */
  public JavaFunction(String className, Map<String, String> userArguments, long timeoutMillis,
      int threads) {
    this(className, userArguments, timeoutMillis, threads, null);
  }

  /** As above, in the job with this id, which the function sees ({@link FunctionInput#jobId}). */
  public JavaFunction(String className, Map<String, String> userArguments, long timeoutMillis,
      int threads, String jobId) {
    this.jobId = jobId;
    this.className = BUILT_INS.getOrDefault(className, className);
    this.userArguments = userArguments == null ? new TreeMap<>() : new TreeMap<>(userArguments);
    this.timeoutMillis = timeoutMillis;
    this.threads = threads;
  }

  /** Threads per executor JVM when the job does not say: blocking I/O and CPU work mixed. */
  public static int defaultThreads() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * Reading the objects; what the function writes is its own business, which the job spec
   * does not tell: the Sid says to add it.
   */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    if (className.equals(DynamoDbResults.class.getName())) {
      // ours, so what it writes is known: its items, and the reads that fill them
      String table = userArguments.getOrDefault("TableName", "*");
      return List.of(
          objects.onObjects("ReadObjectsAndTagsForDynamoDbResults", "s3:GetObject",
              "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging"),
          PolicyStatement.allow("WriteItemsOfDynamoDbResults", List.of(table.startsWith("arn:")
              ? table : "arn:aws:dynamodb:*:*:table/" + table), "dynamodb:BatchWriteItem",
              "dynamodb:PutItem"));
    }
    return List.of(objects.onObjects("ReadObjectsForTheJavaFunctionAddWhatItWrites",
        "s3:GetObject", "s3:GetObjectVersion"));
  }

  @Override
  public String name() {
    return "JavaFunction";
  }

  @Override
  public boolean readsManifestColumns() {
    return true;
  }

  /**
   * Checks the class here (on the driver, before any task) so that a misspelt or unusable class
   * is refused with its name rather than failing every task. The class is loaded but not
   * initialised, and not built: none of its code runs (see {@link #functionClass}).
   */
  public JavaFunction checkLoadable() {
    functionClass(className);
    return this;
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    ObjectFunction function;
    try {
      function = instance(className);
    } catch (IllegalArgumentException notBuilt) {
      return CompletableFuture.failedFuture(
          TaskFailure.permanent(INVALID_FUNCTION, 0, notBuilt.getMessage()));
    }
    FunctionInput input = new FunctionInput(task, userArguments, clients.s3(), jobId,
        clients);
    ThreadPoolExecutor pool = POOLS.computeIfAbsent(threads, n -> new ThreadPoolExecutor(n, n,
        0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemon("s3batch-function")));
    Call call = new Call(() -> function.apply(input), pool);
    pool.execute(call);
    return call.result;
  }

  /**
   * One call of the function, with its clock started when a thread picks it up. A call past its
   * timeout is interrupted; while its thread has not come back (a function may ignore the
   * interrupt), the pool has one more thread, so that stuck calls never hold up the others.
   */
  private final class Call extends FutureTask<FunctionResult> {
    final CompletableFuture<OperationResult> result = new CompletableFuture<>();
    private final ThreadPoolExecutor pool;
    private volatile ScheduledFuture<?> alarm;
    private boolean returned;
    private boolean replaced;

    Call(java.util.concurrent.Callable<FunctionResult> body, ThreadPoolExecutor pool) {
      super(body);
      this.pool = pool;
    }

    @Override
    public void run() {
      alarm = TIMER.schedule(this::timeOut, timeoutMillis, TimeUnit.MILLISECONDS);
      try {
        super.run();
      } finally {
        synchronized (this) {
          returned = true;
          if (replaced) {
            resize(pool, -1);
          }
        }
      }
    }

    private void timeOut() {
      if (result.completeExceptionally(TaskFailure.permanent(TIMEOUT, 0, className
          + " did not finish within " + timeoutMillis + " ms; it was interrupted"))) {
        cancel(true);
        synchronized (this) {
          if (!returned) {
            replaced = true;
            resize(pool, 1);
          }
        }
      }
    }

    @Override
    protected void done() {
      if (alarm != null) {
        alarm.cancel(false);
      }
      if (isCancelled()) {
        return;
      }
      try {
        result.complete(outcome(get()));
      } catch (ExecutionException e) {
        result.completeExceptionally(failure(e.getCause()));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result.completeExceptionally(e);
      }
    }
  }

  /** Grows or shrinks a pool by one thread (the maximum first when growing, last when not). */
  private static void resize(ThreadPoolExecutor pool, int by) {
    synchronized (pool) {
      int size = pool.getCorePoolSize() + by;
      if (by > 0) {
        pool.setMaximumPoolSize(size);
        pool.setCorePoolSize(size);
        LOG.warn("A function call ran past its timeout and is still running; {} threads now "
            + "call functions until it returns", size);
      } else {
        pool.setCorePoolSize(size);
        pool.setMaximumPoolSize(size);
      }
    }
  }

  private OperationResult outcome(FunctionResult r) {
    if (r == null) {
      throw TaskFailure.permanent(INVALID_RESULT, 0, className + " returned no result");
    }
    return switch (r.code()) {
      case SUCCEEDED -> new OperationResult(200, r.message());
      case TEMPORARY_FAILURE -> throw new TaskFailure("TemporaryFailure", 200,
          orDefault(r), true);
      case PERMANENT_FAILURE -> throw new TaskFailure("PermanentFailure", 200,
          orDefault(r), false);
    };
  }

  private String orDefault(FunctionResult r) {
    return r.message() != null ? r.message() : className + " returned " + r.code();
  }

  /**
   * S3 errors (and our own failures) keep their classification, so a throttled read is retried
   * like any request; anything else the function threw fails the task with its class.
   */
  private static Throwable failure(Throwable thrown) {
    Throwable t = thrown instanceof CompletionException && thrown.getCause() != null
        ? thrown.getCause() : thrown;
    if (t instanceof SdkException || t instanceof TaskFailure) {
      return t;
    }
    return TaskFailure.permanent(t.getClass().getSimpleName(), 0,
        t.getClass().getName() + ": " + t.getMessage());
  }

  private static ObjectFunction instance(String className) {
    return INSTANCES.computeIfAbsent(className, JavaFunction::instantiate);
  }

  /**
   * Builds the function (on an executor, once per JVM): the first time its static initialiser
   * and constructor run. A class that cannot be built says so in one line, with its name.
   */
  private static ObjectFunction instantiate(String className) {
    Class<? extends ObjectFunction> type = functionClass(className);
    try {
      return type.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(field(className) + "failed in its constructor: "
          + e.getCause());
    } catch (ExceptionInInitializerError e) {
      throw new IllegalArgumentException(field(className) + "failed in its static initialiser: "
          + e.getCause());
    } catch (LinkageError e) {
      // also a class whose static initialiser failed before, in this JVM
      throw new IllegalArgumentException(field(className) + "cannot be built on this executor ("
          + e + "); ship the jars it depends on with spark-submit --jars as well");
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(field(className) + "cannot be instantiated (" + e
          + "); make it a public, non-abstract class with a public no-argument constructor");
    }
  }

  /**
   * Loads the class without initialising it ({@code Class.forName(name, false, loader)}: no
   * static initialiser runs) and checks what a function needs by reflection alone, which runs
   * none of the class's code either: to be on the classpath, to implement
   * {@link ObjectFunction}, to be public and concrete, and a public no-argument constructor.
   * So any other class on the classpath, named in a job spec, is refused without running.
   * Each refusal is one line that says what to do.
   */
  private static Class<? extends ObjectFunction> functionClass(String className) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader() : JavaFunction.class.getClassLoader();
    String field = field(className);
    try {
      Class<?> type = Class.forName(className, false, loader);
      if (!ObjectFunction.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(field + "does not implement "
            + ObjectFunction.class.getName() + "; name a class that does, or a built-in: "
            + builtInNames());
      }
      int modifiers = type.getModifiers();
      if (!Modifier.isPublic(modifiers) || Modifier.isAbstract(modifiers)) {
        throw new IllegalArgumentException(field + "is not public, or is abstract or an "
            + "interface; name a public, concrete class");
      }
      type.getConstructor();
      return type.asSubclass(ObjectFunction.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(field + "is not a class on the classpath; ship the jar "
          + "that holds it with spark-submit --jars your-functions.jar (and check the name's "
          + "package and spelling), or name a built-in: " + builtInNames());
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(field + "has no public no-argument constructor; add "
          + "one (one instance serves every call in an executor JVM)");
    } catch (LinkageError e) {
      throw new IllegalArgumentException(field + "cannot be loaded (" + e
          + "); ship the jars it depends on with spark-submit --jars as well");
    }
  }

  private static String field(String className) {
    return "Operation.JavaFunction.ClassName: \"" + className + "\" ";
  }

  private static String builtInNames() {
    return String.join(", ", new TreeMap<>(BUILT_INS).keySet());
  }

  /**
   * The calls' alarms. Each call cancels its own when it ends; removed at once, or the queue
   * would hold every call of the last hour (the default timeout), each with its input and result.
   */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, daemon("s3batch-function-timer"));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** Alarms of calls still running in this JVM (the others have been dropped). */
  static int queuedAlarms() {
    return TIMER.getQueue().size();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
