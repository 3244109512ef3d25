package io.github.s3batchspark.testing;

import org.apache.spark.sql.SparkSession;

/** One local[2] SparkSession per test JVM, as on a small executor. */
public final class LocalSpark {
  private static SparkSession spark;

  private LocalSpark() {}

  public static synchronized SparkSession session() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("s3-batch-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.session.timeZone", "UTC")
          // tables registered by tests (report tables) keep their databases out of the checkout
          .config("spark.sql.warehouse.dir", warehouse())
          .config("spark.executor.heartbeatInterval", "2s")
          // jobs' metrics sources are read through JMX, as a user's monitoring would
          .config("spark.metrics.conf.driver.sink.jmx.class",
              "org.apache.spark.metrics.sink.JmxSink")
          // the local servers have no STS: jobs run in process sign with the test's keys
          .config("spark.s3batch.credentials", "caller")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }

  private static String warehouse() {
    try {
      return java.nio.file.Files.createTempDirectory("spark-warehouse").toUri().toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
