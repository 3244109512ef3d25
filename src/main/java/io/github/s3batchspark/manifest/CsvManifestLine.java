package io.github.s3batchspark.manifest;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns one line of a CSV manifest into a row of the object columns and its task id
 * ({@link CsvManifestReader#NUMBERED_COLUMNS}): the bucket, the URL-decoded key and the version
 * that {@code Manifest.Spec.Fields} names.
 * Serialisable: the executors that read the manifest's splits parse with it.
 */
final class CsvManifestLine implements Serializable {
  private final List<ManifestField> fields;
  private final int bucketAt;
  private final int keyAt;
  private final int versionAt;

  CsvManifestLine(List<ManifestField> fields) {
    this.fields = List.copyOf(fields);
    this.bucketAt = fields.indexOf(ManifestField.BUCKET);
    this.keyAt = fields.indexOf(ManifestField.KEY);
    this.versionAt = fields.indexOf(ManifestField.VERSION_ID);
  }

  /** Whether the line holds no object: blank lines are skipped, as Amazon skips them. */
  static boolean isBlank(String line) {
    return line.isBlank();
  }

  /**
   * The row of a line that is not blank, in {@link CsvManifestReader#NUMBERED_COLUMNS}.
   *
   * @throws BrokenLine saying what is wrong with it
   */
  Row row(String line, long taskId) {
    List<String> values = CsvLine.split(line, () -> BrokenLine.because("has an unclosed quote"));
    if (values.size() != fields.size()) {
      throw BrokenLine.because("has " + values.size() + " fields but Manifest.Spec.Fields "
          + ManifestRequest.names(fields) + " names " + fields.size());
    }
    String bucket = values.get(bucketAt);
    if (bucket.isEmpty()) {
      throw BrokenLine.because("has an empty bucket");
    }
    String key = decodeKey(values.get(keyAt));
    String versionId = versionAt < 0 ? null : values.get(versionAt);
    if (versionId != null && versionId.isEmpty()) {
      throw BrokenLine.because("has an empty VersionId: a manifest with VersionId gives one on"
          + " every line (Amazon requires all or none; 'null' names the null version)");
    }
    return RowFactory.create(bucket, key, versionId, null, taskId);
  }

  private static String decodeKey(String encoded) {
    if (encoded.isEmpty()) {
      throw BrokenLine.because("has an empty key");
    }
    try {
      return ManifestKeyDecoder.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw BrokenLine.because("has key '" + encoded + "' that is not URL-encoded correctly: "
          + e.getMessage());
    }
  }
}
