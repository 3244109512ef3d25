package io.github.s3batchspark.manifest;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The columns of a CSV manifest, as listed in {@code Manifest.Spec.Fields}. */
public enum ManifestField {
  IGNORE("Ignore"),
  BUCKET("Bucket"),
  KEY("Key"),
  VERSION_ID("VersionId");

  private final String specName;

  ManifestField(String specName) {
    this.specName = specName;
  }

  public String specName() {
    return specName;
  }

  /** The field named {@code specName} in a job spec; refuses unknown names, listing the valid ones. */
  public static ManifestField fromSpec(String specName) {
    for (ManifestField field : values()) {
      if (field.specName.equals(specName)) {
        return field;
      }
    }
    throw new ManifestException("Manifest.Spec.Fields entry '" + specName + "' is not supported: use "
        + Arrays.stream(values()).map(ManifestField::specName).collect(Collectors.joining(", ")));
  }
}
