package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The manifest of a job that names no manifest but a {@code ManifestGenerator}: its source
 * bucket listed on the executors, with the generator's filters ({@link GeneratedManifest}).
 */
public final class GeneratedManifestSource implements ManifestSource {
  private final S3JobManifestGenerator generator;

  public GeneratedManifestSource(S3JobManifestGenerator generator) {
    this.generator = generator;
  }

  @Override
  public String description() {
    return "listing of " + generator.sourceBucket();
  }

  @Override
  public Dataset<Row> rows(SparkSession spark, ClientSettings settings) {
    return GeneratedManifest.load(spark, generator, settings);
  }

  /** A bucket listed twice shows what was written and deleted in between. */
  @Override
  public boolean repeatable() {
    return false;
  }
}
