package io.github.s3batchspark.manifest;

import static io.github.s3batchspark.manifest.ManifestInventoryLoadTest.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.InventoryFixture.Entry;
import io.github.s3batchspark.testing.InventoryFixture.Format;
import io.github.s3batchspark.testing.InventoryFixture.Report;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Inventory data files are read once, as checked: the rows come from the very bytes whose MD5
 * matched manifest.json, and a file replaced between the check and the read is refused, naming
 * it. The proxy replaces the file at the exact request that reads the rows.
 */
class InventoryReadAsCheckedTest {
  private static final List<Entry> ENTRIES = List.of(
      Entry.current("src", "a.txt", 1, "e1", "STANDARD"),
      Entry.current("src", "b c.txt", 2, "e2", "GLACIER"));
  private static final List<Entry> OTHER_ENTRIES = List.of(
      Entry.current("src", "not-checked.txt", 9, "e9", "STANDARD"));

  private final SparkSession spark = LocalSpark.session();

  @ParameterizedTest
  @EnumSource(Format.class)
  void dataFileReplacedBetweenTheCheckAndTheReadIsRefusedNamingIt(Format format) {
    LocalS3Server server = LocalS3Server.s3mock(); // enforces If-Match
    S3Client s3 = server.client();
    String destination = Buckets.create(s3, "inv-swap");
    Report report = InventoryFixture.write(s3, spark, destination, format, false, ENTRIES, 1);
    String file = report.dataFileKeys().get(0);
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(server)) {
      replaceAtTheRead(proxy, s3, destination, file, otherFile(s3, format));

      var e = refusal(() -> ManifestLoader.load(spark, ManifestRequest.inventory(
          report.manifest()), proxy.clientSettings()).collectAsList());

      assertTrue(e.getMessage().startsWith("Inventory data file s3://" + destination + "/"
          + file + " changed after its checksum was verified (S3 answered 412"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void dataFileReplacedOnAVersionedBucketIsReadInTheVersionThatWasChecked(Format format) {
    LocalS3Server server = LocalS3Server.moto();
    S3Client s3 = server.client();
    String destination = Buckets.createVersioned(s3, "inv-swap-versioned");
    Report report = InventoryFixture.write(s3, spark, destination, format, false, ENTRIES, 1);
    String file = report.dataFileKeys().get(0);
    String checked = s3.headObject(b -> b.bucket(destination).key(file)).versionId();
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(server)) {
      replaceAtTheRead(proxy, s3, destination, file, otherFile(s3, format));

      List<Row> rows = ManifestLoader.load(spark, ManifestRequest.inventory(report.manifest()),
          proxy.clientSettings()).collectAsList();

      assertEquals(List.of("a.txt", "b c.txt"),
          rows.stream().map(r -> r.<String>getAs("key")).sorted().toList());
      assertTrue(proxy.requests().stream().anyMatch(r -> r.hasHeader("If-Match")
          && r.path().endsWith(file) && r.query() != null
          && r.query().contains("versionId=" + checked)), "the read names the checked version");
    }
  }

  @Test
  void truncatedGzipIsRefusedOnOneLineNamingTheFile() {
    LocalS3Server server = LocalS3Server.s3mock();
    S3Client s3 = server.client();
    String destination = Buckets.create(s3, "inv-truncated");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      lines.append("\"src\",\"key-").append(i).append("\",\"").append(i).append("\"\n");
    }
    byte[] whole = InventoryFixture.gzip(lines.toString());
    Report report = InventoryFixture.writeReport(s3, destination, "src", Format.CSV,
        "Bucket, Key, Size", List.of(Arrays.copyOf(whole, whole.length / 2)));

    var e = refusal(() -> ManifestLoader.load(spark, ManifestRequest.inventory(
        report.manifest()), server.clientSettings()).collectAsList());

    assertTrue(e.getMessage().startsWith("Inventory data file s3://" + destination + "/"
        + report.dataFileKeys().get(0) + " is not a whole gzip file (Unexpected end of ZLIB"
        + " input stream at line "), e.getMessage());
  }

  @Test
  void csvLineWithFewerValuesThanFileSchemaIsRefusedNamingFileAndLine() {
    var e = refusedCsv("\"src\",\"a\",\"1\"\n\"src\",\"b\"\n");

    assertTrue(e.getMessage().endsWith(" line 2 has 2 values but fileSchema lists 3 columns"
        + " [Bucket, Key, Size]; the file does not match its manifest.json"), e.getMessage());
  }

  @Test
  void csvSizeThatIsNotANumberIsRefusedNamingFileLineAndValue() {
    var e = refusedCsv("\"src\",\"a\",\"1\"\n\"src\",\"b\",\"12kB\"\n");

    assertTrue(e.getMessage().endsWith(" line 2 has Size '12kB', which is not a whole number; the"
        + " file does not match its manifest.json"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = Format.class, names = {"ORC", "PARQUET"})
  void orcOrParquetFileWhoseColumnsDifferFromFileSchemaIsRefusedNamingIt(Format format) {
    LocalS3Server server = LocalS3Server.s3mock();
    S3Client s3 = server.client();
    String destination = Buckets.create(s3, "inv-columns");
    var written = new org.apache.spark.sql.types.StructType()
        .add("bucket", "string", false).add("key", "string", false).add("size", "long");
    var listed = written.add("storage_class", "string");
    byte[] data = InventoryFixture.dataFile(spark, format, written,
        List.of(org.apache.spark.sql.RowFactory.create("src", "a", 1L)));
    Report report = InventoryFixture.writeReport(s3, destination, "src", format,
        InventoryFixture.fileSchema(format, listed), List.of(data));

    var e = refusal(() -> ManifestLoader.load(spark, ManifestRequest.inventory(
        report.manifest()), server.clientSettings()).collectAsList());

    assertEquals("Inventory data file s3://" + destination + "/" + report.dataFileKeys().get(0)
        + " has columns [bucket, key, size] but its manifest.json's fileSchema lists [bucket,"
        + " key, size, storage_class]; the file does not match its manifest.json",
        e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = Format.class, names = {"ORC", "PARQUET"})
  void orcOrParquetSizeHeldAsTextIsRefusedNamingTheColumn(Format format) {
    LocalS3Server server = LocalS3Server.s3mock();
    S3Client s3 = server.client();
    String destination = Buckets.create(s3, "inv-types");
    var schema = new org.apache.spark.sql.types.StructType()
        .add("bucket", "string", false).add("key", "string", false).add("size", "string");
    byte[] data = InventoryFixture.dataFile(spark, format, schema,
        List.of(org.apache.spark.sql.RowFactory.create("src", "a", "12kB")));
    Report report = InventoryFixture.writeReport(s3, destination, "src", format,
        InventoryFixture.fileSchema(format, schema), List.of(data));

    var e = refusal(() -> ManifestLoader.load(spark, ManifestRequest.inventory(
        report.manifest()), server.clientSettings()).collectAsList());

    assertTrue(e.getMessage().startsWith("Inventory data file s3://" + destination + "/"
        + report.dataFileKeys().get(0) + " has column size of type "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" where S3 Inventory writes a whole number; the file"
        + " does not match its manifest.json"), e.getMessage());
  }

  private ManifestException refusedCsv(String text) {
    LocalS3Server server = LocalS3Server.s3mock();
    S3Client s3 = server.client();
    String destination = Buckets.create(s3, "inv-csv-schema");
    Report report = InventoryFixture.writeReport(s3, destination, "src", Format.CSV,
        "Bucket, Key, Size", List.of(InventoryFixture.gzip(text)));
    var e = refusal(() -> ManifestLoader.load(spark, ManifestRequest.inventory(
        report.manifest()), server.clientSettings()).collectAsList());
    assertTrue(e.getMessage().startsWith("Inventory data file s3://" + destination + "/"
        + report.dataFileKeys().get(0) + " line "), e.getMessage());
    return e;
  }

  /** Overwrites {@code key} with {@code other} just before the GET that reads its rows. */
  private static void replaceAtTheRead(ForwardingS3Proxy proxy, S3Client s3, String bucket,
      String key, byte[] other) {
    proxy.beforeFirst(r -> r.method().equals("GET") && r.path().endsWith("/" + key)
            && r.hasHeader("If-Match"),
        () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(other)));
  }

  /** A valid data file of other rows, as a replacement would be. */
  private byte[] otherFile(S3Client s3, Format format) {
    String scratch = Buckets.create(s3, "inv-other");
    Report other = InventoryFixture.write(s3, spark, scratch, format, false, OTHER_ENTRIES, 1);
    return s3.getObjectAsBytes(b -> b.bucket(scratch).key(other.dataFileKeys().get(0)))
        .asByteArray();
  }
}
