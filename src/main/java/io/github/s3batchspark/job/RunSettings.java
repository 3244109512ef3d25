package io.github.s3batchspark.job;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.RunnerSettings;
import io.github.s3batchspark.execution.SigningCredentials;
import java.io.Serializable;
import java.time.Duration;
import org.apache.spark.SparkConf;

/**
 * The knobs of a run, read from Spark's configuration ({@code spark.s3batch.*}, so that
 * {@code spark-submit --conf} sets them) with the command line's flags on top.
 *
 * @param partitions         partitions of the execution stage; 0 picks one per 20,000 tasks,
 *                           at least 4 per core
 * @param failFastMinTasks   the job fails early when more than half of at least this many
 *                           finished tasks failed (Amazon's rule: 1,000); 0 switches it off
 * @param leaseTimeout       how long after a run's last heartbeat another run may take its job
 *                           over (at least three heartbeats)
 * @param waveTime           about how long one wave of tasks lasts: each wave's results are
 *                           committed when it ends, so a run killed at any moment and taken
 *                           over redoes at most one wave (and at least 1 % of the job per wave)
 * @param liveProgress       count the tasks as they run, so that the record's
 *                           {@code ProgressSummary}, the progress line and the metrics source
 *                           advance while the job runs; off, the counts appear when the tasks
 *                           end (what live progress costs is measured against this)
 */
public record RunSettings(ClientSettings clients, RunnerSettings runner, int partitions,
    int failFastMinTasks, Duration leaseTimeout, Duration waveTime, boolean liveProgress)
    implements Serializable {

  public static final String PREFIX = "spark.s3batch.";
  public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_WAVE_TIME = Duration.ofSeconds(60);

  public static RunSettings defaults() {
    return new RunSettings(ClientSettings.defaults(), RunnerSettings.defaults(), 0, 1000,
        DEFAULT_LEASE_TIMEOUT, DEFAULT_WAVE_TIME, true);
  }

  /**
   * Defaults overridden by any {@code spark.s3batch.*} setting present in {@code conf}.
   *
   * @throws IllegalArgumentException naming the setting whose value cannot be used
   */
  public static RunSettings from(SparkConf conf) {
    RunSettings d = defaults();
    ClientSettings c = d.clients();
    RunnerSettings r = d.runner();
    c = new ClientSettings(
        conf.get(PREFIX + "endpointUrl", c.endpointUrl()),
        conf.get(PREFIX + "region", c.region()),
        conf.getInt(PREFIX + "maxConnections", c.maxConcurrency()),
        conf.getSizeAsBytes(PREFIX + "multipartThreshold", String.valueOf(c.multipartThreshold())),
        conf.getSizeAsBytes(PREFIX + "multipartPartSize", String.valueOf(c.multipartPartSize())),
        conf.get(PREFIX + "eventsEndpointUrl", c.eventsEndpointUrl()),
        conf.get(PREFIX + "lambdaEndpointUrl", c.lambdaEndpointUrl()),
        conf.getTimeAsMs(PREFIX + "lambdaTimeout", c.lambdaTimeoutMillis() + "ms"),
        conf.contains(PREFIX + "credentials") ? SigningCredentials.parse(
            conf.get(PREFIX + "credentials"), PREFIX + "credentials") : c.credentials(),
        null,
        conf.get(PREFIX + "stsEndpointUrl", c.stsEndpointUrl()), c.serviceEndpoints());
    r = new RunnerSettings(
        conf.getInt(PREFIX + "inFlight", r.inFlight()),
        conf.getInt(PREFIX + "maxAttempts", r.maxAttempts()),
        conf.getLong(PREFIX + "baseBackoffMs", r.baseBackoffMs()),
        conf.getLong(PREFIX + "maxBackoffMs", r.maxBackoffMs()),
        conf.getBoolean(PREFIX + "adaptivePrefixConcurrency", r.adaptivePrefixConcurrency()));
    return new RunSettings(c, r, conf.getInt(PREFIX + "partitions", d.partitions()),
        conf.getInt(PREFIX + "failFastMinTasks", d.failFastMinTasks()),
        Duration.ofMillis(conf.getTimeAsMs(PREFIX + "leaseTimeout",
            d.leaseTimeout().toMillis() + "ms")),
        Duration.ofMillis(conf.getTimeAsMs(PREFIX + "waveTime", d.waveTime().toMillis() + "ms")),
        conf.getBoolean(PREFIX + "liveProgress", d.liveProgress()));
  }

  public RunSettings withClients(ClientSettings clients) {
    return new RunSettings(clients, runner, partitions, failFastMinTasks, leaseTimeout,
        waveTime, liveProgress);
  }

  public RunSettings withRunner(RunnerSettings runner) {
    return new RunSettings(clients, runner, partitions, failFastMinTasks, leaseTimeout,
        waveTime, liveProgress);
  }

  public RunSettings withPartitions(int partitions) {
    return new RunSettings(clients, runner, partitions, failFastMinTasks, leaseTimeout,
        waveTime, liveProgress);
  }

  /**
   * These settings for one job: its requests signed as its {@code roleArn}, in a session named
   * after {@code jobId}, unless the caller's credentials were chosen.
   */
  public RunSettings forJob(String roleArn, String jobId) {
    return withClients(clients.forJob(roleArn, jobId));
  }

  public RunSettings withLeaseTimeout(Duration leaseTimeout) {
    return new RunSettings(clients, runner, partitions, failFastMinTasks, leaseTimeout,
        waveTime, liveProgress);
  }

  public RunSettings withWaveTime(Duration waveTime) {
    return new RunSettings(clients, runner, partitions, failFastMinTasks, leaseTimeout,
        waveTime, liveProgress);
  }

  public RunSettings withFailFastMinTasks(int failFastMinTasks) {
    return new RunSettings(clients, runner, partitions, failFastMinTasks, leaseTimeout,
        waveTime, liveProgress);
  }

  public RunSettings withLiveProgress(boolean liveProgress) {
    return new RunSettings(clients, runner, partitions, failFastMinTasks, leaseTimeout,
        waveTime, liveProgress);
  }
}
