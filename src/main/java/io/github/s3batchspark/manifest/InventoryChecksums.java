package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.io.IOException;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Verifies that every data file of an inventory report has the MD5 its manifest.json states,
 * before any row of the report is used: a truncated or replaced file would silently drop or add
 * objects.
 *
 * <p>Reports can hold thousands of files of gigabytes, so the files are hashed in parallel on
 * the executors, each one streamed through a {@link MessageDigest} (never held in memory). The
 * verdict is taken on the driver from the collected digests, so the message names every bad file.
 *
 * <p>Each digest keeps the ETag and version of the bytes it hashed: the rows are read from those
 * bytes only ({@link CheckedDataFile}), so a file changed after the check is never read unchecked.
 */
final class InventoryChecksums {
  private InventoryChecksums() {}

  /**
   * The outcome of hashing one file: its MD5 and the ETag and version of the bytes hashed, or
   * why it could not be read.
   */
  record Digest(String key, String expected, String actual, String etag, String versionId,
      String error) implements Serializable {
    boolean matches() {
      return error == null && expected.equalsIgnoreCase(actual);
    }

    String complaint() {
      return error != null ? key + " (" + error + ")"
          : key + " (MD5 " + actual + ", manifest.json says " + expected + ")";
    }
  }

  /** The data files, each pinned to the bytes whose MD5 matched; refuses the report otherwise. */
  static List<CheckedDataFile> verify(SparkSession spark, ClientSettings settings, String uri,
      InventoryManifest inventory) {
    List<InventoryManifest.DataFile> files = inventory.files();
    String bucket = inventory.destinationBucket();
    int slices = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism()));
    List<Digest> digests = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(files, slices)
        .mapPartitions(part -> hashAll(settings, bucket, part))
        .collect();
    List<Digest> bad = digests.stream().filter(d -> !d.matches()).toList();
    if (!bad.isEmpty()) {
      throw new ManifestException("Inventory report " + uri + ": " + bad.size() + " of "
          + files.size() + " data files in bucket '" + bucket + "' do not match manifest.json: "
          + String.join("; ", bad.stream().map(Digest::complaint).toList())
          + ". The report is incomplete or was changed; use a complete report");
    }
    return digests.stream()
        .map(d -> new CheckedDataFile(bucket, d.key(), d.etag(), d.versionId())).toList();
  }

  private static Iterator<Digest> hashAll(ClientSettings settings, String bucket,
      Iterator<InventoryManifest.DataFile> files) {
    List<Digest> digests = new ArrayList<>();
    try (S3Client s3 = ExecutorClients.syncClient(settings)) {
      files.forEachRemaining(file -> digests.add(hash(s3, bucket, file)));
    }
    return digests.iterator();
  }

  private static Digest hash(S3Client s3, String bucket, InventoryManifest.DataFile file) {
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(bucket).key(file.key()))) {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        md5.update(buffer, 0, n);
      }
      return new Digest(file.key(), file.md5checksum(), HexFormat.of().formatHex(md5.digest()),
          ManifestLocation.unquoted(in.response().eTag()), in.response().versionId(), null);
    } catch (SdkException | IOException e) {
      return new Digest(file.key(), file.md5checksum(), null, null, null,
          "cannot read it: " + ManifestException.oneLine(e.getMessage()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5", e);
    }
  }
}
