package io.github.s3batchspark.manifest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads an {@code S3BatchOperations_CSV_20180820} manifest: header-less CSV lines whose columns
 * are named by {@code Manifest.Spec.Fields}, keys URL-encoded.
 *
 * <p>The manifest is streamed on the driver through the SDK, because only the SDK can read the
 * exact version and ETag the job names, and because a broken line must be reported with its line
 * number before anything runs. The rows are then held by the driver, so this suits manifests of
 * up to a few million lines; larger lists belong in an S3 Inventory report, whose data files
 * Spark reads in parallel.
 */
final class CsvManifestReader {
  private static final String BYTE_ORDER_MARK = "\uFEFF";

  private final ManifestRequest request;
  private final String uri;
  private final int bucketAt;
  private final int keyAt;
  private final int versionAt;

  private CsvManifestReader(ManifestRequest request) {
    this.request = request;
    this.uri = request.location().uri();
    this.bucketAt = request.fields().indexOf(ManifestField.BUCKET);
    this.keyAt = request.fields().indexOf(ManifestField.KEY);
    this.versionAt = request.fields().indexOf(ManifestField.VERSION_ID);
  }

  static Dataset<Row> read(SparkSession spark, S3Client s3, ManifestRequest request) {
    ManifestObject manifest = ManifestObject.verify(s3, request.location());
    List<Row> rows = new CsvManifestReader(request).parse(s3, manifest);
    return spark.createDataFrame(rows, ManifestSchema.OBJECT_COLUMNS);
  }

  private List<Row> parse(S3Client s3, ManifestObject manifest) {
    List<Row> rows = new ArrayList<>();
    long lineNumber = 0;
    try (InputStream in = manifest.open(s3);
        BufferedReader lines = new BufferedReader(
            new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        lineNumber++;
        if (lineNumber == 1 && line.startsWith(BYTE_ORDER_MARK)) {
          line = line.substring(1); // spreadsheet exports start with one; it is not a bucket name
        }
        if (!line.isBlank()) {
          rows.add(parseLine(stripCarriageReturn(line), lineNumber));
        }
      }
    } catch (CharacterCodingException e) {
      throw new ManifestException("Manifest " + uri + " line " + (lineNumber + 1)
          + " is not UTF-8 text: a CSV manifest lists URL-encoded keys in UTF-8", e);
    } catch (S3Exception e) {
      throw ManifestObject.failure(request.location(), e);
    } catch (SdkException e) {
      throw ManifestObject.unreachable(request.location(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("Reading manifest " + uri + " failed at line " + lineNumber,
          e);
    }
    return rows;
  }

  private Row parseLine(String line, long lineNumber) {
    List<String> values = CsvLine.split(line, () -> broken(lineNumber, "has an unclosed quote"));
    if (values.size() != request.fields().size()) {
      throw broken(lineNumber, "has " + values.size() + " fields but Manifest.Spec.Fields "
          + ManifestRequest.names(request.fields()) + " names " + request.fields().size());
    }
    String bucket = values.get(bucketAt);
    if (bucket.isEmpty()) {
      throw broken(lineNumber, "has an empty bucket");
    }
    String key = decodeKey(values.get(keyAt), lineNumber);
    String versionId = versionAt < 0 ? null : values.get(versionAt);
    if (versionId != null && versionId.isEmpty()) {
      throw broken(lineNumber, "has an empty VersionId: a manifest with VersionId gives one on"
          + " every line (Amazon requires all or none; 'null' names the null version)");
    }
    return RowFactory.create(bucket, key, versionId, null);
  }

  private String decodeKey(String encoded, long lineNumber) {
    if (encoded.isEmpty()) {
      throw broken(lineNumber, "has an empty key");
    }
    try {
      return ManifestKeyDecoder.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw broken(lineNumber, "has key '" + encoded + "' that is not URL-encoded correctly: "
          + e.getMessage());
    }
  }

  private ManifestException broken(long lineNumber, String what) {
    return new ManifestException("Manifest " + uri + " line " + lineNumber + " " + what
        + "; fix the manifest (no object was touched)");
  }

  private static String stripCarriageReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
