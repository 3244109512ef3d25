package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.InventoryFixture.Entry;
import io.github.s3batchspark.testing.InventoryFixture.Format;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class ManifestInventoryLoadTest {
  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();
  private final SparkSession spark = LocalSpark.session();

  @ParameterizedTest
  @EnumSource(Format.class)
  void currentVersionReportLoadsExactKeysAndTypedColumns(Format format) {
    String destination = Buckets.create(s3, "inv-current");
    List<Entry> entries = List.of(
        Entry.current("photos", "a/plain.jpg", 10, "0cc175b9c0f1b6a831c399e269772661", "STANDARD"),
        Entry.current("photos", "with space.jpg", 20, "92eb5ffee6ae2fec3ad71c777531578f", "GLACIER"),
        Entry.current("photos", "plus+sign.jpg", 30, "4a8a08f09d37b73795649038408b5f33", "STANDARD"),
        Entry.current("photos", "100%/caf\u00e9 \u65e5\u672c.jpg", 40,
            "8277e0910d750195b448797616e091ad-2", "DEEP_ARCHIVE"));
    var report = InventoryFixture.write(s3, spark, destination, format, false, entries, 2);

    Dataset<Row> manifest = load(ManifestRequest.inventory(report.manifest()));

    assertEquals(List.of("bucket", "key", "version_id", "etag", "size", "last_modified_date",
        "storage_class"), List.of(manifest.columns()));
    assertEquals(DataTypes.LongType, manifest.schema().apply("size").dataType());
    assertEquals(DataTypes.TimestampType,
        manifest.schema().apply("last_modified_date").dataType());
    Map<String, Row> byKey = byKey(manifest);
    assertEquals(entries.stream().map(Entry::key).collect(Collectors.toSet()), byKey.keySet());
    Row row = byKey.get("100%/caf\u00e9 \u65e5\u672c.jpg");
    assertEquals("photos", row.getAs("bucket"));
    assertNull(row.getAs("version_id"));
    assertEquals("8277e0910d750195b448797616e091ad-2", row.getAs("etag"));
    assertEquals(40L, (long) row.getAs("size"));
    assertEquals("DEEP_ARCHIVE", row.getAs("storage_class"));
    assertEquals(Timestamp.from(Instant.parse("2024-01-02T03:04:05Z")),
        row.getAs("last_modified_date"));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void allVersionsReportKeepsEveryVersionAndSkipsDeleteMarkers(Format format) {
    String destination = Buckets.create(s3, "inv-versions");
    List<Entry> entries = List.of(
        Entry.version("src", "doc.txt", "v3", true, 3, "e3"),
        Entry.version("src", "doc.txt", "v2", false, 2, "e2"),
        Entry.version("src", "old file.txt", "", false, 1, "e0"), // the null version
        Entry.deleteMarker("src", "old file.txt", "v9"),
        Entry.deleteMarker("src", "gone.txt", "v8"));
    var report = InventoryFixture.write(s3, spark, destination, format, true, entries, 1);

    List<Row> rows = load(ManifestRequest.inventory(report.manifest())).collectAsList();

    List<String> versions = rows.stream()
        .map(r -> r.getAs("key") + "@" + r.getAs("version_id") + ":" + r.getAs("etag"))
        .sorted().toList();
    assertEquals(List.of("doc.txt@v2:e2", "doc.txt@v3:e3", "old file.txt@null:e0"), versions);
    assertTrue(rows.stream().noneMatch(r -> (boolean) r.getAs("is_delete_marker")));
    assertFalse(rows.stream().filter(r -> "v2".equals(r.getAs("version_id")))
        .map(r -> (boolean) r.getAs("is_latest")).findFirst().orElseThrow());
  }

  @Test
  void allVersionsReportOfAVersionedBucketAddressesEveryLiveVersion() {
    LocalS3Server moto = LocalS3Server.moto();
    S3Client versioned = moto.client();
    String source = Buckets.create(versioned, "inv-src");
    versioned.putBucketVersioning(b -> b.bucket(source)
        .versioningConfiguration(v -> v.status("Enabled")));
    Buckets.put(versioned, source, "doc 1.txt", "first");
    Buckets.put(versioned, source, "doc 1.txt", "second");
    Buckets.put(versioned, source, "gone+soon.txt", "bye");
    versioned.deleteObject(b -> b.bucket(source).key("gone+soon.txt"));
    var listing = versioned.listObjectVersions(b -> b.bucket(source));
    List<Entry> entries = new ArrayList<>();
    listing.versions().forEach(v -> entries.add(Entry.version(source, v.key(), v.versionId(),
        v.isLatest(), v.size(), v.eTag().replace("\"", ""))));
    listing.deleteMarkers().forEach(d -> entries.add(
        Entry.deleteMarker(source, d.key(), d.versionId())));
    String destination = Buckets.create(versioned, "inv-dest");
    var report = InventoryFixture.write(versioned, spark, destination, Format.CSV, true, entries,
        2);

    List<Row> rows = ManifestLoader.load(spark, ManifestRequest.inventory(report.manifest()),
        moto.clientSettings()).collectAsList();

    assertEquals(3, rows.size()); // two versions of doc 1.txt, the hidden gone+soon.txt
    for (Row row : rows) {
      var head = versioned.headObject(b -> b.bucket(row.getAs("bucket")).key(row.getAs("key"))
          .versionId(row.getAs("version_id")));
      assertEquals(row.<String>getAs("etag"), head.eTag().replace("\"", ""));
    }
  }

  @Test
  void dataFileWhoseMd5DiffersFromManifestJsonIsRefusedNamingTheFile() {
    String destination = Buckets.create(s3, "inv-md5");
    var report = InventoryFixture.write(s3, spark, destination, Format.CSV, false,
        List.of(Entry.current("src", "a", 1, "e", "STANDARD"),
            Entry.current("src", "b", 1, "e", "STANDARD")), 2);
    String replaced = report.dataFileKeys().get(1);
    s3.putObject(b -> b.bucket(destination).key(replaced),
        RequestBody.fromString("not the listed file"));

    var e = assertThrows(ManifestException.class,
        () -> load(ManifestRequest.inventory(report.manifest())));

    assertTrue(e.getMessage().contains("1 of 2 data files"), e.getMessage());
    assertTrue(e.getMessage().contains(replaced), e.getMessage());
    assertFalse(e.getMessage().contains(report.dataFileKeys().get(0)), e.getMessage());
  }

  @Test
  void dataFileThatIsNotInTheStatedFormatIsRefusedNamingTheReport() {
    String destination = Buckets.create(s3, "inv-garbage");
    byte[] garbage = "this is not parquet".getBytes(StandardCharsets.UTF_8);
    s3.putObject(b -> b.bucket(destination).key("data/x.parquet"), RequestBody.fromBytes(garbage));
    String json = "{\"sourceBucket\":\"src\",\"destinationBucket\":\"arn:aws:s3:::" + destination
        + "\",\"version\":\"2016-11-30\",\"fileFormat\":\"Parquet\",\"fileSchema\":\"x\","
        + "\"files\":[{\"key\":\"data/x.parquet\",\"size\":19,\"MD5checksum\":\""
        + InventoryFixture.md5(garbage) + "\"}]}";
    String etag = Buckets.put(s3, destination, "manifest.json", json);

    var e = assertThrows(ManifestException.class, () -> load(ManifestRequest.inventory(
        new ManifestLocation(destination, "manifest.json", null, etag))));

    assertTrue(e.getMessage().startsWith("Inventory report s3://" + destination
        + "/manifest.json: Spark cannot read its PARQUET data files"), e.getMessage());
  }

  @Test
  void missingDataFileIsRefusedNamingTheFile() {
    String destination = Buckets.create(s3, "inv-gone");
    var report = InventoryFixture.write(s3, spark, destination, Format.PARQUET, false,
        List.of(Entry.current("src", "a", 1, "e", "STANDARD")), 1);
    s3.deleteObject(b -> b.bucket(destination).key(report.dataFileKeys().get(0)));

    var e = assertThrows(ManifestException.class,
        () -> load(ManifestRequest.inventory(report.manifest())));

    assertTrue(e.getMessage().contains(report.dataFileKeys().get(0) + " (cannot read it"),
        e.getMessage());
  }

  @Test
  void manifestJsonWhoseEtagDiffersFromTheSpecIsRefused() {
    String destination = Buckets.create(s3, "inv-etag");
    var report = InventoryFixture.write(s3, spark, destination, Format.CSV, false,
        List.of(Entry.current("src", "a", 1, "e", "STANDARD")), 1);
    var stale = new ManifestLocation(destination, report.manifest().key(), null, "feedbeef");

    var e = assertThrows(ManifestException.class,
        () -> load(ManifestRequest.inventory(stale)));

    assertTrue(e.getMessage().contains("manifest.json has ETag"), e.getMessage());
  }

  @Test
  void locationThatIsNotAnInventoryManifestIsRefused() {
    String destination = Buckets.create(s3, "inv-notjson");
    String etag = Buckets.put(s3, destination, "list.csv", destination + ",a\n");

    var e = assertThrows(ManifestException.class, () -> load(ManifestRequest.inventory(
        new ManifestLocation(destination, "list.csv", null, etag))));

    assertTrue(e.getMessage().startsWith("Inventory manifest s3://" + destination
        + "/list.csv is not valid JSON"), e.getMessage());
  }

  private Dataset<Row> load(ManifestRequest request) {
    return ManifestLoader.load(spark, request, server.clientSettings());
  }

  private static Map<String, Row> byKey(Dataset<Row> manifest) {
    return manifest.collectAsList().stream()
        .sorted(Comparator.comparing(r -> r.<String>getAs("key")))
        .collect(Collectors.toMap(r -> r.getAs("key"), Function.identity()));
  }
}
