package io.github.s3batchspark.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An analyst's Spark application, run in a JVM of its own by {@link ReportTableNameCliTest}:
 * opens the Hive metastore its {@code spark.*} system properties name and prints one line per
 * row of the table named by its argument ({@code row: key task_status}; the tests' logging
 * shares stdout).
 */
public final class HiveTableRows {
  private HiveTableRows() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("analyst")
        .enableHiveSupport().getOrCreate();
    try {
      for (Row row : spark.table(args[0]).select("key", "task_status").collectAsList()) {
        System.out.println("row: " + row.getString(0) + " " + row.getString(1));
      }
    } finally {
      spark.stop();
    }
  }
}
