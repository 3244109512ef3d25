package io.github.s3batchspark.service;

import io.github.s3batchspark.api.ApiSettings;
import io.github.s3batchspark.api.S3ControlServer;
import io.github.s3batchspark.console.Console;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.notify.NoticeSettings;
import io.github.s3batchspark.notify.NotifyingJobStore;
import io.github.s3batchspark.notify.Triggers;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code s3batch serve} runs, started and stopped in one place: the job service (when it
 * runs jobs), the s3control API with the web console on its port, and the triggers, all on one
 * job store. The command line gives it its options; a test gives it a local Spark and local
 * servers, and so runs serve's parts exactly as serve wires them.
 *
 * <pre>{@code
 * Serve serve = Serve.on(store, api, clients)
 *     .runningJobs(spark, settings, 2, Duration.ofSeconds(2), notices)
 *     .triggers(() -> Triggers.start(queue, schedule))
 *     .start();
 * }</pre>
 *
 * <p>Stopping goes in the order that loses nothing: the triggers and the API first (no new job,
 * no new change), then the running jobs are paused (they commit what ran and release their
 * leases), and the store last, so that the notices of those pauses are still sent.
 */
public final class Serve implements AutoCloseable {
  private final NotifyingJobStore store;
  private final JobService jobs;
  private final S3ControlServer api;
  private final Console console;
  private final Triggers triggers;

  private Serve(NotifyingJobStore store, JobService jobs, S3ControlServer api, Console console,
      Triggers triggers) {
    this.store = store;
    this.jobs = jobs;
    this.api = api;
    this.console = console;
    this.triggers = triggers;
  }

  /**
   * Serves {@code store}'s jobs of {@code api}'s account, reaching S3 as {@code clients} say.
   * The serve owns the store from then on: closing it, or a start that fails, closes the store.
   */
  public static Options on(NotifyingJobStore store, ApiSettings api, ClientSettings clients) {
    return new Options(store, api, clients);
  }

  /** The s3control API's server; the console answers on its port under {@code /console/}. */
  public S3ControlServer api() {
    return api;
  }

  public Console console() {
    return console;
  }

  /** The service running the store's jobs; empty when this serve runs none. */
  public Optional<JobService> jobs() {
    return Optional.ofNullable(jobs);
  }

  public NotifyingJobStore store() {
    return store;
  }

  /** Stops everything, in the order that loses nothing; see the class's comment. */
  @Override
  public void close() {
    close(line -> { });
  }

  /** Stops as {@link #close()} does, telling {@code told} what has stopped, a line a step. */
  public void close(Consumer<String> told) {
    triggers.close();
    api.close();
    told.accept("s3batch API stopped");
    if (jobs != null) {
      jobs.close();
      told.accept("s3batch jobs paused: the next serve or run --job-id resumes them");
    }
    store.close();
  }

  /** What to serve, set fluently; {@link #start()} starts it. */
  public static final class Options {
    private final NotifyingJobStore store;
    private final ApiSettings api;
    private final ClientSettings clients;
    private SparkSession spark;
    private RunSettings settings;
    private int maxRunning;
    private Duration poll;
    private NoticeSettings notices;
    private Supplier<Triggers> triggers = () -> Triggers.start(null, null);

    private Options(NotifyingJobStore store, ApiSettings api, ClientSettings clients) {
      this.store = Objects.requireNonNull(store, "store");
      this.api = Objects.requireNonNull(api, "api");
      this.clients = Objects.requireNonNull(clients, "clients");
    }

    /**
     * Runs the store's jobs on {@code spark}, up to {@code maxRunning} at once, reading the
     * store every {@code poll} (see {@link JobService}); without it, serve runs no job.
     */
    public Options runningJobs(SparkSession spark, RunSettings settings, int maxRunning,
        Duration poll, NoticeSettings notices) {
      this.spark = Objects.requireNonNull(spark, "spark");
      this.settings = settings;
      this.maxRunning = maxRunning;
      this.poll = poll;
      this.notices = notices;
      return this;
    }

    /** The triggers, started once the API answers; none unless set. */
    public Options triggers(Supplier<Triggers> triggers) {
      this.triggers = triggers;
      return this;
    }

    /** Starts the job service, then the API and the console, then the triggers. */
    public Serve start() {
      JobService jobs = spark == null ? null
          : JobService.start(spark, store, settings, maxRunning, poll, notices);
      S3ControlServer server = null;
      try {
        server = S3ControlServer.start(api, store, clients);
        Console console = Console.attach(server, store, clients, api.accountId());
        return new Serve(store, jobs, server, console, triggers.get());
      } catch (RuntimeException e) {
        // nothing half-started stays behind a refusal to start
        if (server != null) {
          server.close();
        }
        if (jobs != null) {
          jobs.close();
        }
        store.close();
        throw e;
      }
    }
  }
}
