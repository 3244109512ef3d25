package io.github.s3batchspark.manifest;

import java.util.Arrays;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Our {@code "ManifestFilter": {"Where": "..."}} extension: a Spark SQL boolean expression over
 * the canonical manifest columns ({@code storage_class = 'GLACIER' AND size > 1048576}); only
 * the rows it holds for become tasks.
 */
public final class ManifestFilter {
  private ManifestFilter() {}

  /**
   * The rows of {@code manifest} for which {@code where} is true; all rows when it is null.
   * An expression that does not parse, names an unknown column or is not boolean is refused
   * here, before any task exists, with a message that quotes it and lists the columns.
   */
  public static Dataset<Row> apply(Dataset<Row> manifest, String where) {
    if (where == null) {
      return manifest;
    }
    try {
      var condition = functions.expr(where);
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

  private static ManifestException refused(String where, Dataset<Row> manifest, String why) {
    return new ManifestException("ManifestFilter.Where \"" + where + "\" cannot filter the"
        + " manifest: " + why + ". The manifest columns are "
        + Arrays.toString(manifest.columns()));
  }
}
