package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 Inventory report ({@link InventoryReportReader}): its {@code manifest.json} read and its
 * data files' checksums verified on the driver, their rows read by the executors.
 */
record InventoryManifestSource(ManifestLocation location) implements ManifestSource {

  @Override
  public String description() {
    return "S3 Inventory report " + location.uri();
  }

  @Override
  public Dataset<Row> rows(SparkSession spark, ClientSettings settings) {
    try (S3Client s3 = ExecutorClients.syncClient(settings)) {
      return InventoryReportReader.read(spark, s3, settings, location);
    }
  }
}
