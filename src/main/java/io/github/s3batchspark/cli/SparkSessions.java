package io.github.s3batchspark.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session the verbs that run jobs start, or the one spark-submit made. */
final class SparkSessions {
  private SparkSessions() {}

  /**
   * spark-submit sets the master; locally every core. {@code fair}: the jobs running together
   * share the task slots (the job service), instead of the first taking them all.
   */
  static SparkSession forJobs(boolean fair) {
    return forJobs(fair, true);
  }

  /**
   * As {@link #forJobs(boolean)}; without {@code liveProgress} (or with
   * {@code spark.s3batch.liveProgress=false}) executors keep Spark's own heartbeat interval,
   * since nothing reads their counts.
   */
  static SparkSession forJobs(boolean fair, boolean liveProgress) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", "s3-batch-spark");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    conf.setIfMissing("spark.sql.session.timeZone", "UTC");
    // Executors' heartbeats carry the running tasks' counts: the live progress is this fresh.
    if (liveProgress && conf.getBoolean("spark.s3batch.liveProgress", true)) {
      conf.setIfMissing("spark.executor.heartbeatInterval", "3s");
    }
    if (fair) {
      conf.setIfMissing("spark.scheduler.mode", "FAIR");
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
