package io.github.s3batchspark.manifest;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The manifest formats of {@code Manifest.Spec.Format} in the CreateJob request. */
public enum ManifestFormat {
  /** A header-less CSV of {@code Bucket,Key[,VersionId]} lines with URL-encoded keys. */
  S3_BATCH_OPERATIONS_CSV("S3BatchOperations_CSV_20180820"),
  /** The {@code manifest.json} of an S3 Inventory report (CSV, ORC or Parquet data files). */
  S3_INVENTORY_REPORT("S3InventoryReport_CSV_20161130");

  private final String specName;

  ManifestFormat(String specName) {
    this.specName = specName;
  }

  /** The name as it appears in the job spec. */
  public String specName() {
    return specName;
  }

  /** The format named {@code specName} in a job spec; refuses unknown names, listing the valid ones. */
  public static ManifestFormat fromSpec(String specName) {
    for (ManifestFormat format : values()) {
      if (format.specName.equals(specName)) {
        return format;
      }
    }
    throw new ManifestException("Manifest.Spec.Format '" + specName + "' is not supported: use one of "
        + Arrays.stream(values()).map(ManifestFormat::specName).collect(Collectors.joining(", ")));
  }
}
