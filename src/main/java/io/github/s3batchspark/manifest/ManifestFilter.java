package io.github.s3batchspark.manifest;

import java.util.Arrays;
import java.util.Collection;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Our {@code "ManifestFilter": {"Where": "..."}} extension: a boolean condition over the manifest
 * columns ({@code storage_class = 'GLACIER' AND size > 1048576}); only the rows it holds for
 * become tasks.
 *
 * <p>A job spec is data, never code: the condition is written in a small subset of Spark SQL
 * (columns, literals, operators and the deterministic functions {@link FilterLanguage} lists),
 * checked on its parsed tree before Spark analyses anything, so that whoever may submit a job
 * cannot run code, read files or settings, or change the JVM through it.
 */
public final class ManifestFilter {
  private ManifestFilter() {}

  /**
   * Checks {@code where} against the filter language and the manifest's {@code columns} (any
   * spelling of a column works: {@code LastModifiedDate}, {@code last_modified_date}, {@code ETag},
   * {@code e_tag}). Needs no SparkSession.
   *
   * @return the checked filter, its columns renamed to the names in {@code columns}
   * @throws ManifestFilterException naming what is refused and what is allowed, in one line
   */
  public static CheckedFilter check(String where, Collection<String> columns) {
    return FilterChecker.check(where, columns);
  }

  /**
   * The rows of {@code manifest} for which {@code where} is true; all rows when it is null.
   * The filter is checked ({@link #check}) before Spark parses anything; one that Spark then
   * cannot apply (a type that does not fit, not a true/false condition) is refused here too,
   * before any task exists.
   */
  public static Dataset<Row> apply(Dataset<Row> manifest, String where) {
    if (where == null) {
      return manifest;
    }
    Column condition = check(where, Arrays.asList(manifest.columns())).column();
    try {
      Dataset<Row> filtered = manifest.where(condition);
      if (!DataTypes.BooleanType.equals(filtered.select(condition).schema().fields()[0]
          .dataType())) {
        throw refused(where, manifest, "it is not a true/false condition");
      }
      return filtered;
    } catch (ManifestException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof AnalysisException analysis) {
        throw refused(where, manifest, analysis.getSimpleMessage());
      }
      throw e;
    }
  }

  private static ManifestFilterException refused(String where, Dataset<Row> manifest,
      String why) {
    return FilterChecker.refused(where, why + ". The manifest columns are "
        + Arrays.toString(manifest.columns()));
  }
}
