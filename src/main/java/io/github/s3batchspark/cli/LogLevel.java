package io.github.s3batchspark.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;

/**
 * How much the command logs: Spark at WARN and our own progress at INFO, whichever log4j
 * configuration the JVM started with (a Spark distribution's or EMR's logs Spark at INFO, 600 to
 * 2,100 lines a job), unless the user asks for a level with {@code spark.s3batch.logLevel}
 * ({@code --conf} under spark-submit, {@code -D} for {@code scripts/s3batch}), which then holds
 * for Spark and for us alike. Either way stdout carries only the command's JSON.
 */
final class LogLevel {
  static final String SETTING = "spark.s3batch.logLevel";
  private static final String OURS = "io.github.s3batchspark";

  private LogLevel() {}

  /** Sets the levels; called once, first thing in {@code main}. */
  static void applyAtStart() {
    String asked = System.getProperty(SETTING);
    Level level = asked == null ? null : Level.toLevel(asked.strip(), null);
    if (asked != null && level == null) {
      throw new UsageException(SETTING + " must be a log4j level (ERROR, WARN, INFO, DEBUG, "
          + "TRACE), got '" + asked + "'");
    }
    // Spark sets up its logging once per JVM, to its INFO defaults when no configuration was
    // given: done now, so that its first log line later cannot undo the levels set here.
    new SparkConf(false).initializeLogIfNecessary(false);
    Configurator.setRootLevel(level == null ? Level.WARN : level);
    Configurator.setLevel(OURS, level == null ? Level.INFO : level);
    if (level == null) { // Hadoop warns of these on every run; they say nothing about the job
      Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
      Configurator.setLevel("org.apache.hadoop.metrics2", Level.ERROR);
    }
  }
}
