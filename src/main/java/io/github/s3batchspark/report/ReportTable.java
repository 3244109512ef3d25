package io.github.s3batchspark.report;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's task results as a Parquet table that Spark SQL can query: every column of
 * {@link TaskResultSchema}, partitioned by {@code task_status}, so that "what failed, and why"
 * reads only the failed tasks. The path is any Hadoop path: a local directory, {@code s3a://},
 * or EMRFS on a cluster.
 *
 * <p>The table can also be registered by name in the session's catalog ({@link #register}): the
 * Hive metastore when Spark has one, which on EMR can be the Glue Data Catalog, so that Spark
 * SQL or Athena query a job's report as {@code database.table}.
 */
public final class ReportTable {
  private static final Logger LOG = LoggerFactory.getLogger(ReportTable.class);
  private static final String CATALOG_IMPLEMENTATION = "spark.sql.catalogImplementation";

  /** A catalog name: {@code table} or {@code database.table}, as Hive, Glue and Athena take. */
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_]+\\.)?[A-Za-z0-9_]+");

  private ReportTable() {}

  /**
   * Writes the results to {@code path}, replacing a table already there: the report of a job
   * is what its last run ended with. Spark's output commit makes the table appear whole or not
   * at all.
   */
  public static void write(Dataset<Row> results, String path) {
    results.select(columns())
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(TaskResultSchema.TASK_STATUS)
        .parquet(path);
  }

  /**
   * The table at {@code path}, with the columns in {@link TaskResultSchema}'s order. As with any
   * Parquet table Spark reads, every column is nullable; filters on {@code task_status} read only
   * that partition.
   */
  public static Dataset<Row> read(SparkSession spark, String path) {
    return spark.read().schema(TaskResultSchema.schema()).parquet(path).select(columns());
  }

  /**
   * Refuses, before a job runs, a catalog name that its report table could not take at the end:
   * one that is not {@code table} or {@code database.table}, or that names a table which is not
   * a report table (registering replaces the name, and only a report table may be replaced).
   *
   * @throws IllegalArgumentException naming {@code ReportTable.Name} and what to do
   */
  public static void checkRegistrable(SparkSession spark, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("ReportTable.Name " + name + ": give table or"
          + " database.table, in letters, digits and _");
    }
    if (!spark.catalog().tableExists(name)) {
      return;
    }
    org.apache.spark.sql.catalog.Table table;
    Set<String> columns;
    try {
      table = spark.catalog().getTable(name);
      columns = spark.catalog().listColumns(name).collectAsList().stream()
          .map(c -> c.name().toLowerCase()).collect(Collectors.toSet());
    } catch (AnalysisException e) {
      return; // dropped since tableExists: the name is free
    }
    boolean reportTable = "EXTERNAL".equals(table.tableType())
        && columns.contains(TaskResultSchema.TASK_ID)
        && columns.contains(TaskResultSchema.TASK_STATUS);
    if (!reportTable) {
      throw new IllegalArgumentException("ReportTable.Name " + name + ": the catalog has a "
          + table.tableType().toLowerCase() + " table of that name that is not a job's report"
          + " table; name another table (a report table of an earlier job is replaced, no other)");
    }
  }

  /**
   * Registers the table at {@code path} in the session's catalog as {@code name} ({@code table}
   * or {@code database.table}, the database created when missing): an external Parquet table
   * partitioned by {@code task_status}, its partitions listed, so that it answers at once. A
   * report table of that name (an earlier job's) is replaced; dropping an external table leaves
   * its files where they are.
   *
   * @throws IllegalArgumentException as {@link #checkRegistrable} does
   */
  public static void register(SparkSession spark, String path, String name) {
    checkRegistrable(spark, name);
    int dot = name.indexOf('.');
    if (dot > 0) {
      spark.sql("CREATE DATABASE IF NOT EXISTS `" + name.substring(0, dot) + "`");
    }
    String quoted = quotedName(name);
    spark.sql("DROP TABLE IF EXISTS " + quoted);
    spark.sql("CREATE TABLE " + quoted + " (" + columnsDdl() + ") USING parquet"
        + " PARTITIONED BY (" + TaskResultSchema.TASK_STATUS + ") LOCATION '"
        + path.replace("\\", "\\\\").replace("'", "\\'") + "'");
    // A table over files already written starts with no partitions in the catalog.
    spark.catalog().recoverPartitions(quoted);
    if ("in-memory".equals(spark.conf().get(CATALOG_IMPLEMENTATION, "in-memory"))) {
      LOG.warn("The report table is registered as {} in Spark's in-memory catalog, which ends"
          + " with this Spark application; to keep it, set {}=hive (a Hive metastore; on EMR"
          + " the Glue Data Catalog)", name, CATALOG_IMPLEMENTATION);
    }
  }

  private static String quotedName(String name) {
    return Arrays.stream(name.split("\\.")).map(part -> "`" + part + "`")
        .collect(Collectors.joining("."));
  }

  /** Every column nullable: Hive's tables and Athena's know no NOT NULL. */
  private static String columnsDdl() {
    return Arrays.stream(TaskResultSchema.schema().fields())
        .map(f -> "`" + f.name() + "` " + f.dataType().sql())
        .collect(Collectors.joining(", "));
  }

  private static Column[] columns() {
    return Arrays.stream(TaskResultSchema.schema().fieldNames())
        .map(name -> col(name))
        .toArray(Column[]::new);
  }
}
