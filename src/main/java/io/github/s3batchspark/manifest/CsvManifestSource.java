package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An {@code S3BatchOperations_CSV_20180820} manifest ({@link CsvManifestReader}): checked line by
 * line in parallel, then read with its task ids from that check's row counts.
 */
record CsvManifestSource(ManifestRequest request) implements ManifestSource {

  @Override
  public String description() {
    return "CSV manifest " + request.location().uri();
  }

  @Override
  public Dataset<Row> rows(SparkSession spark, ClientSettings settings) {
    // The driver's client only checks the object; the executors build their own to read it.
    try (S3Client s3 = ExecutorClients.syncClient(settings)) {
      return CsvManifestReader.read(spark, s3, settings, request);
    }
  }
}
