package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.job.spec.GeneratedManifestEncryption;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import io.github.s3batchspark.job.spec.S3ManifestOutputLocation;
import io.github.s3batchspark.job.spec.SSEKMSEncryption;
import io.github.s3batchspark.job.spec.SSES3Encryption;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * EnableManifestOutput: the generated manifest is an S3 Inventory CSV report under
 * {@code <prefix>/job-<id>/}, encrypted as asked, that our inventory reader reads back.
 */
class GeneratedManifestOutputTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final String KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/cccc";
  private static SparkSession spark;
  private static String source;
  private static String out;

  @BeforeAll
  static void bucketWithAwkwardKeys() {
    spark = LocalSpark.session();
    source = Buckets.create(S3, "generated-out-src");
    out = Buckets.create(S3, "generated-out");
    for (String key : List.of("a/plain.txt", "a/with space+plus.txt", "b/caf\u00e9, \"quoted\"",
        "b/100%.bin", "c/deep/er/x")) {
      S3.putObject(b -> b.bucket(source).key(key), RequestBody.fromString(key));
    }
  }

  private static S3JobManifestGenerator generator(GeneratedManifestEncryption encryption) {
    return new S3JobManifestGenerator(null, "arn:aws:s3:::" + source,
        new S3ManifestOutputLocation(null, "arn:aws:s3:::" + out, "generated/", encryption,
            GeneratedManifestWriter.FORMAT), null, true);
  }

  private static Dataset<Row> generated(S3JobManifestGenerator generator) {
    return GeneratedManifest.load(spark, generator, SERVER.clientSettings(),
        ListingOptions.defaults(2).withPageSize(2));
  }

  @Test
  void writtenManifestIsAnInventoryReportThatReadsBackAsTheSameRows() {
    S3JobManifestGenerator generator = generator(new GeneratedManifestEncryption(
        new SSES3Encryption(), null));
    Dataset<Row> manifest = TaskIds.assign(generated(generator)).cache();

    GeneratedManifestDescriptor written = GeneratedManifestWriter.writeIfAsked(spark, generator,
        "job-output-1", manifest, SERVER.clientSettings());

    String manifestKey = "generated/job-job-output-1/manifest.json";
    assertEquals(new GeneratedManifestDescriptor("S3InventoryReport_CSV_20211130",
        "arn:aws:s3:::" + out + "/" + manifestKey, null,
        S3.headObject(b -> b.bucket(out).key(manifestKey)).eTag().replace("\"", "")), written);
    for (S3Object o : S3.listObjectsV2Paginator(b -> b.bucket(out)
        .prefix("generated/job-job-output-1/")).contents()) {
      HeadObjectResponse head = S3.headObject(b -> b.bucket(out).key(o.key()));
      assertEquals("AES256", head.serverSideEncryptionAsString(), o.key());
      assertTrue(o.key().equals(manifestKey) || o.key().endsWith("/manifest.checksum")
          || o.key().matches("generated/job-job-output-1/data/part-\\d{5}\\.csv\\.gz"), o.key());
    }
    Dataset<Row> readBack = ManifestLoader.load(spark, ManifestRequest.inventory(
        ManifestLocation.fromObjectArn(written.objectArn(), null, written.eTag())),
        SERVER.clientSettings());
    assertEquals(List.of("bucket", "key", "version_id", "etag", "size", "last_modified_date",
        "storage_class"), List.of(readBack.columns()));
    assertEquals(new HashSet<>(manifest.drop(ManifestSchema.TASK_ID).collectAsList()),
        new HashSet<>(readBack.collectAsList()));
    assertEquals(5, readBack.count());
  }

  @Test
  void kmsEncryptionAskedForIsTheEncryptionOfEveryWrittenObject() {
    S3JobManifestGenerator generator = generator(new GeneratedManifestEncryption(null,
        new SSEKMSEncryption(KMS_KEY)));

    GeneratedManifestWriter.writeIfAsked(spark, generator, "job-output-kms",
        generated(generator), SERVER.clientSettings());

    List<S3Object> written = S3.listObjectsV2Paginator(b -> b.bucket(out)
        .prefix("generated/job-job-output-kms/")).contents().stream().toList();
    assertTrue(written.size() >= 3, written.toString());
    for (S3Object o : written) {
      HeadObjectResponse head = S3.headObject(b -> b.bucket(out).key(o.key()));
      assertEquals("aws:kms", head.serverSideEncryptionAsString(), o.key());
      assertEquals(KMS_KEY, head.ssekmsKeyId(), o.key());
    }
  }

  @Test
  void outputNotAskedForWritesNothingAndAnOtherFormatIsRefused() {
    S3JobManifestGenerator off = new S3JobManifestGenerator(null, "arn:aws:s3:::" + source,
        null, null, false);
    assertEquals(null, GeneratedManifestWriter.writeIfAsked(spark, off, "job-none",
        generated(off), SERVER.clientSettings()));

    S3JobManifestGenerator parquet = new S3JobManifestGenerator(null, "arn:aws:s3:::" + source,
        new S3ManifestOutputLocation(null, "arn:aws:s3:::" + out, "x", null, "Parquet"), null,
        true);
    var e = assertThrows(ManifestException.class, () -> GeneratedManifestWriter.writeIfAsked(
        spark, parquet, "job-parquet", generated(parquet), SERVER.clientSettings()));
    assertEquals("ManifestGenerator.S3JobManifestGenerator.ManifestOutputLocation.ManifestFormat"
        + " 'Parquet' is not supported: use S3InventoryReport_CSV_20211130", e.getMessage());
  }
}
