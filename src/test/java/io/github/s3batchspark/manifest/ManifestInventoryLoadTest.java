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

  /**
   * Every field an inventory can list (Amazon's fileSchema lists for CSV, ORC and Parquet), read
   * under one canonical name and type whatever the format: {@code ETag} and {@code e_tag} are
   * both {@code etag}.
   */
  @ParameterizedTest
  @EnumSource(Format.class)
  void everyOptionalFieldOfAnInventoryIsReadUnderItsCanonicalName(Format format) {
    String destination = Buckets.create(s3, "inv-every-field");
    Timestamp modified = Timestamp.from(Instant.parse("2024-01-02T03:04:05Z"));
    Timestamp retainUntil = Timestamp.from(Instant.parse("2030-06-07T08:09:10Z"));
    Object[] full = {"src", "dir/every field.txt", "v1", true, false, 42L, modified,
        "0cc175b9c0f1b6a831c399e269772661", "INTELLIGENT_TIERING", true, "COMPLETED", "SSE-KMS",
        retainUntil, "GOVERNANCE", "ON", "ARCHIVE_ACCESS", "ENABLED", "SHA256",
        "eyJ2ZXJzaW9uIjoiMjAyMi0xMS0wMSJ9", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"};
    Object[] sparse = {"src", "sparse.txt", "v2", true, false, 7L, modified, "e2", "STANDARD",
        false, null, "SSE-S3", null, null, null, null, "DISABLED", null, null, null};
    var schema = new org.apache.spark.sql.types.StructType();
    for (int i = 0; i < EVERY_FIELD.size(); i++) {
      schema = schema.add(EVERY_FIELD.get(i), EVERY_FIELD_TYPE.get(i), i >= 2);
    }
    byte[] data = format == Format.CSV
        ? InventoryFixture.gzip(csvLine(full) + "\n" + csvLine(sparse) + "\n")
        : InventoryFixture.dataFile(spark, format, schema, List.of(
            org.apache.spark.sql.RowFactory.create(full),
            org.apache.spark.sql.RowFactory.create(sparse)));
    String fileSchema = format == Format.CSV ? String.join(", ", EVERY_CSV_FIELD)
        : InventoryFixture.fileSchema(format, schema);
    var report = InventoryFixture.writeReport(s3, destination, "src", format, fileSchema,
        List.of(data));

    Dataset<Row> manifest = load(ManifestRequest.inventory(report.manifest()));

    assertEquals(List.of("bucket", "key", "version_id", "etag", "is_latest", "is_delete_marker",
        "size", "last_modified_date", "storage_class", "is_multipart_uploaded",
        "replication_status", "encryption_status", "object_lock_retain_until_date",
        "object_lock_mode", "object_lock_legal_hold_status", "intelligent_tiering_access_tier",
        "bucket_key_status", "checksum_algorithm", "object_access_control_list", "object_owner"),
        List.of(manifest.columns()));
    Map<String, Row> byKey = byKey(manifest);
    assertEquals(asRow(full), byKey.get("dir/every field.txt"));
    assertEquals(asRow(sparse), byKey.get("sparse.txt"));
    assertEquals(DataTypes.BooleanType,
        manifest.schema().apply("is_multipart_uploaded").dataType());
    assertEquals(DataTypes.TimestampType,
        manifest.schema().apply("object_lock_retain_until_date").dataType());
  }

  /** Amazon's ORC and Parquet field names, in the order of its documented fileSchema. */
  private static final List<String> EVERY_FIELD = List.of("bucket", "key", "version_id",
      "is_latest", "is_delete_marker", "size", "last_modified_date", "e_tag", "storage_class",
      "is_multipart_uploaded", "replication_status", "encryption_status",
      "object_lock_retain_until_date", "object_lock_mode", "object_lock_legal_hold_status",
      "intelligent_tiering_access_tier", "bucket_key_status", "checksum_algorithm",
      "object_access_control_list", "object_owner");
  private static final List<String> EVERY_FIELD_TYPE = List.of("string", "string", "string",
      "boolean", "boolean", "long", "timestamp", "string", "string", "boolean", "string",
      "string", "timestamp", "string", "string", "string", "string", "string", "string",
      "string");
  /** The same fields as a CSV report's fileSchema names them. */
  private static final List<String> EVERY_CSV_FIELD = List.of("Bucket", "Key", "VersionId",
      "IsLatest", "IsDeleteMarker", "Size", "LastModifiedDate", "ETag", "StorageClass",
      "IsMultipartUploaded", "ReplicationStatus", "EncryptionStatus",
      "ObjectLockRetainUntilDate", "ObjectLockMode", "ObjectLockLegalHoldStatus",
      "IntelligentTieringAccessTier", "BucketKeyStatus", "ChecksumAlgorithm",
      "ObjectAccessControlList", "ObjectOwner");

  // S3 Inventory's CSV: every value quoted, an absent one empty, the key form-encoded
  private static String csvLine(Object[] values) {
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      String text = v == null ? ""
          : v instanceof Timestamp t ? t.toInstant().toString().replace("Z", ".000Z")
          : i == 1 ? java.net.URLEncoder.encode((String) v, StandardCharsets.UTF_8)
          : v.toString();
      fields.add("\"" + text + "\"");
    }
    return String.join(",", fields);
  }

  // the manifest's order: bucket, key, version_id, etag first, then the others as listed
  private static Row asRow(Object[] values) {
    List<Object> ordered = new ArrayList<>(List.of(values[0], values[1], values[2], values[7]));
    for (int i = 3; i < values.length; i++) {
      if (i != 7) {
        ordered.add(values[i]);
      }
    }
    return org.apache.spark.sql.RowFactory.create(ordered.toArray());
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
  void dataFileThatIsNotInTheStatedFormatIsRefusedNamingTheFile() {
    String destination = Buckets.create(s3, "inv-garbage");
    var report = InventoryFixture.writeReport(s3, destination, "src", Format.PARQUET,
        "message s3.inventory { required binary bucket (UTF8); required binary key (UTF8);}",
        List.of("this is not parquet".getBytes(StandardCharsets.UTF_8)));

    var e = refusal(() -> load(ManifestRequest.inventory(report.manifest())).collectAsList());

    assertEquals("Inventory data file s3://" + destination + "/" + report.dataFileKeys().get(0)
        + " is not a Parquet file", e.getMessage().substring(0, e.getMessage().indexOf(" (")));
  }

  @Test
  void fileSchemaThatIsNotAnInventorySchemaIsRefusedNamingTheReport() {
    String destination = Buckets.create(s3, "inv-schema");
    var report = InventoryFixture.writeReport(s3, destination, "src", Format.ORC, "bucket, key",
        List.of(new byte[1]));

    var e = assertThrows(ManifestException.class,
        () -> load(ManifestRequest.inventory(report.manifest())));

    assertEquals("Inventory manifest " + report.manifest().uri() + " has fileSchema 'bucket,"
        + " key', which is not an S3 Inventory ORC schema (struct<bucket:string,key:string,...>)",
        e.getMessage());
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

  /** The manifest's refusal, thrown on the driver or by an executor inside Spark's failure. */
  static ManifestException refusal(org.junit.jupiter.api.function.Executable read) {
    Throwable thrown = assertThrows(Throwable.class, read);
    ManifestException refusal = ManifestException.within(thrown);
    if (refusal == null) {
      throw new AssertionError("not refused as a manifest: " + thrown, thrown);
    }
    assertFalse(refusal.getMessage().contains("\n"), refusal.getMessage());
    return refusal;
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
