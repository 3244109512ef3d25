package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.spec.GeneratedManifestEncryption;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import io.github.s3batchspark.job.spec.S3ManifestOutputLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Writes a generated manifest where {@code ManifestOutputLocation} says, when
 * {@code EnableManifestOutput} is true, as an S3 Inventory report
 * ({@code S3InventoryReport_CSV_20211130}): gzip CSV data files, one per Spark partition, written
 * by the executors, then {@code manifest.json} (fileFormat CSV, fileSchema, and each file's key,
 * size and MD5) and {@code manifest.checksum} (the MD5 of manifest.json), all with the
 * encryption {@code ManifestEncryption} asks for. Our inventory reader reads it back as any
 * inventory report, so a later job can use it as its {@code Manifest}.
 *
 * <p>Layout under {@code ManifestPrefix}: {@code job-<jobId>/manifest.json},
 * {@code job-<jobId>/manifest.checksum} and {@code job-<jobId>/data/part-NNNNN.csv.gz}. Amazon's
 * user guide (batch-ops-create-job, "Generating an object list automatically") puts a generated
 * manifest's manifest.json under {@code <ManifestPrefix>/job-<jobId>/} next to its data files;
 * the API reference (S3GeneratedManifestDescriptor) only says describe-job points at the object.
 * We could not find a page that names the data files' folder: {@code data/} is S3 Inventory's own
 * (storage-inventory-location), the format the descriptor names. A data file's name is its
 * partition's number, so a task Spark retries rewrites its own file, and a resumed run rewrites
 * the same files.
 */
public final class GeneratedManifestWriter {
  public static final String FORMAT = "S3InventoryReport_CSV_20211130";
  private static final String FIELD =
      "ManifestGenerator.S3JobManifestGenerator.ManifestOutputLocation";
  private static final DateTimeFormatter INVENTORY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private GeneratedManifestWriter() {}

  /**
   * Writes {@code manifest} (the canonical columns; a {@code task_id} column is left out) when
   * the generator asks for it.
   *
   * @return the descriptor of the written manifest.json, or null when EnableManifestOutput is not
   *     true
   * @throws ManifestException naming ManifestOutputLocation when it is incomplete or a write fails
   */
  public static GeneratedManifestDescriptor writeIfAsked(SparkSession spark,
      S3JobManifestGenerator generator, String jobId, Dataset<Row> manifest,
      ClientSettings settings) {
    if (generator == null || !Boolean.TRUE.equals(generator.enableManifestOutput())) {
      return null;
    }
    Output output = Output.of(generator.manifestOutputLocation(), jobId);
    Dataset<Row> rows = Arrays.asList(manifest.columns()).contains(ManifestSchema.TASK_ID)
        ? manifest.drop(ManifestSchema.TASK_ID) : manifest;
    List<String> columns = List.of(rows.columns());
    List<InventoryManifest.DataFile> files = rows.javaRDD()
        .mapPartitionsWithIndex((index, part) -> List.of(
            writeDataFile(settings, output, index, part)).iterator(), false)
        .collect();
    byte[] json = InventoryManifest.json(GeneratedManifest.sourceBucket(generator),
        output.bucket(), "2021-11-30", System.currentTimeMillis(), "CSV",
        String.join(", ", columns.stream().map(GeneratedManifestWriter::inventoryName).toList()),
        files);
    output.put(settings, output.base() + "manifest.checksum",
        (md5(json) + "\n").getBytes(StandardCharsets.US_ASCII));
    // manifest.json last: once it exists, everything it names does
    PutObjectResponse written = output.put(settings, output.base() + "manifest.json", json);
    return new GeneratedManifestDescriptor(FORMAT,
        "arn:aws:s3:::" + output.bucket() + "/" + output.base() + "manifest.json",
        written.versionId(), written.eTag().replace("\"", ""));
  }

  /** Where and how the manifest's objects are written. */
  private record Output(String bucket, String base, String expectedOwner, String sse,
      String kmsKeyId) implements Serializable {

    static Output of(S3ManifestOutputLocation location, String jobId) {
      if (location == null || location.bucket() == null || location.bucket().isBlank()) {
        throw new ManifestException(FIELD + ".Bucket is required when EnableManifestOutput is"
            + " true: give the ARN of the bucket to write the manifest to");
      }
      if (location.manifestFormat() != null && !FORMAT.equals(location.manifestFormat())) {
        throw new ManifestException(FIELD + ".ManifestFormat '" + location.manifestFormat()
            + "' is not supported: use " + FORMAT);
      }
      String bucket = location.bucket().trim();
      bucket = bucket.startsWith("arn:") ? bucket.substring(bucket.lastIndexOf(':') + 1) : bucket;
      String prefix = location.manifestPrefix() == null ? ""
          : location.manifestPrefix().replaceAll("^/+|/+$", "");
      String base = (prefix.isEmpty() ? "" : prefix + "/") + "job-" + jobId + "/";
      GeneratedManifestEncryption encryption = location.manifestEncryption();
      String sse = null;
      String kmsKey = null;
      if (encryption != null && encryption.ssekms() != null) {
        if (encryption.ssekms().keyId() == null || encryption.ssekms().keyId().isBlank()) {
          throw new ManifestException(FIELD + ".ManifestEncryption.SSEKMS.KeyId is required:"
              + " give the KMS key's ARN");
        }
        sse = ServerSideEncryption.AWS_KMS.toString();
        kmsKey = encryption.ssekms().keyId();
      } else if (encryption != null && encryption.sSES3() != null) {
        sse = ServerSideEncryption.AES256.toString();
      }
      return new Output(bucket, base, location.expectedManifestBucketOwner(), sse, kmsKey);
    }

    /** Writes one object. */
    PutObjectResponse put(ClientSettings settings, String key, byte[] bytes) {
      PutObjectRequest request = PutObjectRequest.builder().bucket(bucket).key(key)
          .expectedBucketOwner(expectedOwner).serverSideEncryption(sse).ssekmsKeyId(kmsKeyId)
          .build();
      // one synchronous client per file written: a handful per job, and S3-compatible stores
      // that mishandle the async client's Expect: 100-continue still take the upload
      try (S3Client s3 = ExecutorClients.syncClient(settings)) {
        return s3.putObject(request, RequestBody.fromBytes(bytes));
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw new ManifestException("Writing the generated manifest to s3://" + bucket + "/"
            + key + " failed (" + cause.getMessage() + "); check " + FIELD
            + " and that the job's role may write there (s3:PutObject)", cause);
      }
    }
  }

  private static InventoryManifest.DataFile writeDataFile(ClientSettings settings,
      Output output, int partition, Iterator<Row> rows) {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (Writer csv = new OutputStreamWriter(new GZIPOutputStream(gz), StandardCharsets.UTF_8)) {
      while (rows.hasNext()) {
        csv.write(csvLine(rows.next()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Compressing a generated manifest file", e);
    }
    byte[] bytes = gz.toByteArray();
    String key = output.base() + String.format(Locale.ROOT, "data/part-%05d.csv.gz", partition);
    output.put(settings, key, bytes);
    return new InventoryManifest.DataFile(key, bytes.length, md5(bytes));
  }

  /** S3 Inventory's CSV: every value quoted, an absent one empty, the key URL-encoded. */
  private static String csvLine(Row row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      Object value = row.get(i);
      String text = value == null ? ""
          : value instanceof Timestamp t ? INVENTORY_TIME.format(t.toInstant())
          : i == row.fieldIndex(ManifestSchema.KEY)
              ? URLEncoder.encode((String) value, StandardCharsets.UTF_8)
          : value.toString();
      line.append(i == 0 ? "" : ",").append('"').append(text.replace("\"", "\"\"")).append('"');
    }
    return line.append('\n').toString();
  }

  /** {@code last_modified_date} -> {@code LastModifiedDate}; {@code etag} -> {@code ETag}. */
  static String inventoryName(String canonical) {
    if (canonical.equals(ManifestSchema.ETAG)) {
      return "ETag";
    }
    StringBuilder name = new StringBuilder();
    for (String word : canonical.split("_")) {
      name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return name.toString();
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JVM", e);
    }
  }
}
