package io.github.s3batchspark.manifest;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;

/**
 * A {@code ManifestFilter.Where} that passed {@link ManifestFilter#check}: every node of its
 * expression is in the filter language and every column is one of the manifest's, named as the
 * canonical schema names it.
 *
 * @param sql       the filter as canonical Spark SQL ({@code (storage_class = 'GLACIER')}), what
 *                  Spark will evaluate
 * @param condition the checked, unresolved expression; Spark resolves it against the manifest
 */
public record CheckedFilter(String sql, Expression condition) {

  /** The condition as a Spark column, built from the checked tree: Spark parses nothing again. */
  public Column column() {
    return new Column(condition);
  }
}
