package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.manifest.InventoryManifest.FileFormat;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * An S3 Inventory generated from a listing on moto_server: Amazon's layout, manifest.json and
 * fileSchema, data files whose MD5s are right, read back by our own inventory reader as the
 * bucket's objects; a HEAD only for the fields that need one.
 */
class InventoryGeneratorTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static String source;

  @BeforeAll
  static void bucketOfAwkwardKeysInATree() {
    spark = LocalSpark.session();
    source = Buckets.create(S3, "inventory-src");
    List<String> keys = new ArrayList<>(List.of("a/plain.txt", "a/with space+plus.txt",
        "b/caf\u00e9 \u65e5\u672c, \"quoted\"", "b/100%.bin", "c/deep/er/x", "top"));
    for (int i = 0; i < 30; i++) {
      keys.add("logs/2024/" + String.format("%03d", i) + ".log");
    }
    for (String key : keys) {
      S3.putObject(b -> b.bucket(source).key(key), RequestBody.fromString("body of " + key));
    }
  }

  private static InventoryGenerator.Result generate(InventoryConfiguration configuration,
      io.github.s3batchspark.execution.ClientSettings settings) {
    return new InventoryGenerator(spark, settings, configuration)
        .listingOptions(ListingOptions.defaults(2).withPageSize(4)).check().execute();
  }

  private static Map<String, S3Object> listedByTheTest(String bucket, String prefix) {
    return S3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .collect(Collectors.toMap(S3Object::key, o -> o, (a, b) -> a, TreeMap::new));
  }

  private static List<Row> readBack(InventoryGenerator.Result result) {
    return ManifestLoader.load(spark, ManifestRequest.inventory(ManifestLocation.fromObjectArn(
        result.manifestArn(), null, result.eTag())), SERVER.clientSettings()).collectAsList();
  }

  @ParameterizedTest
  @EnumSource(FileFormat.class)
  void reportIsLaidOutAsAmazonsAndReadsBackAsTheBucketsObjects(FileFormat format)
      throws Exception {
    String destination = Buckets.create(S3, "inventory-dst");
    InventoryConfiguration configuration = InventoryConfiguration.of(source, null, "Current",
        "ETag,Size,LastModifiedDate,StorageClass,IsMultipartUploaded", format.name(),
        "arn:aws:s3:::" + destination, "/reports/", "daily");

    InventoryGenerator.Result result = generate(configuration, SERVER.clientSettings());

    // the layout: manifest files in a start-time folder, data files and hive symlink beside
    String base = "reports/" + source + "/daily/";
    assertTrue(result.manifestKey().matches(
        java.util.regex.Pattern.quote(base) + "\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\dZ/manifest\\.json"),
        result.manifestKey());
    String folder = result.manifestKey().substring(0, result.manifestKey().lastIndexOf('/') + 1);
    byte[] manifestBytes = S3.getObjectAsBytes(b -> b.bucket(destination)
        .key(result.manifestKey())).asByteArray();
    assertEquals(InventoryFixture.md5(manifestBytes), S3.getObjectAsBytes(b -> b
        .bucket(destination).key(folder + "manifest.checksum")).asUtf8String());
    JsonNode manifest = JSON.readTree(manifestBytes);
    assertEquals(List.of("sourceBucket", "destinationBucket", "version", "creationTimestamp",
        "fileFormat", "fileSchema", "files"), fieldNames(manifest));
    assertEquals(source, manifest.get("sourceBucket").asText());
    assertEquals("arn:aws:s3:::" + destination, manifest.get("destinationBucket").asText());
    assertEquals("2016-11-30", manifest.get("version").asText());
    assertTrue(manifest.get("creationTimestamp").isTextual()
        && manifest.get("creationTimestamp").asText().matches("\\d{13}"), manifest.toString());
    assertEquals(Map.of(FileFormat.CSV, "CSV", FileFormat.ORC, "ORC", FileFormat.PARQUET,
        "Parquet").get(format), manifest.get("fileFormat").asText());
    assertEquals(Map.of(
        FileFormat.CSV, "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass,"
            + " IsMultipartUploaded",
        FileFormat.ORC, "struct<bucket:string,key:string,size:bigint,"
            + "last_modified_date:timestamp,e_tag:string,storage_class:string,"
            + "is_multipart_uploaded:boolean>",
        FileFormat.PARQUET, "message s3.inventory { required binary bucket (UTF8);"
            + " required binary key (UTF8); optional int64 size;"
            + " optional int64 last_modified_date (TIMESTAMP_MILLIS);"
            + " optional binary e_tag (UTF8); optional binary storage_class (UTF8);"
            + " optional boolean is_multipart_uploaded;}").get(format),
        manifest.get("fileSchema").asText());
    List<String> dataKeys = new ArrayList<>();
    for (JsonNode file : manifest.get("files")) {
      String key = file.get("key").asText();
      assertTrue(key.matches(java.util.regex.Pattern.quote(base) + "data/[0-9a-f-]{36}"
          + java.util.regex.Pattern.quote(configuration.extension())), key);
      byte[] data = S3.getObjectAsBytes(b -> b.bucket(destination).key(key)).asByteArray();
      assertEquals(data.length, file.get("size").asLong(), key);
      assertEquals(InventoryFixture.md5(data), file.get("MD5checksum").asText(), key);
      dataKeys.add("s3://" + destination + "/" + key);
    }
    assertEquals(result.files().size(), dataKeys.size());
    List<String> hive = S3.listObjectsV2(b -> b.bucket(destination).prefix(base + "hive/"))
        .contents().stream().map(S3Object::key).toList();
    assertEquals(1, hive.size(), hive.toString());
    assertTrue(hive.get(0).matches(java.util.regex.Pattern.quote(base)
        + "hive/dt=\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d/symlink\\.txt"), hive.get(0));
    assertEquals(new TreeSet<>(dataKeys), new TreeSet<>(List.of(S3.getObjectAsBytes(b -> b
        .bucket(destination).key(hive.get(0))).asUtf8String().split("\n"))));

    // the rows: every object once, with its listed size, ETag, date and class
    Map<String, S3Object> listed = listedByTheTest(source, "");
    List<Row> rows = readBack(result);
    assertEquals(listed.size(), rows.size());
    assertEquals(listed.size(), result.objects());
    Map<String, Row> byKey = rows.stream().collect(Collectors.toMap(r -> r.getAs("key"),
        r -> r));
    assertEquals(listed.keySet(), byKey.keySet());
    for (S3Object o : listed.values()) {
      Row row = byKey.get(o.key());
      assertEquals(source, row.getAs("bucket"));
      assertEquals(o.size(), (Long) row.getAs("size"), o.key());
      assertEquals(o.eTag().replace("\"", ""), row.getAs("etag"), o.key());
      assertEquals("STANDARD", row.getAs("storage_class"), o.key());
      assertEquals(Timestamp.from(o.lastModified().truncatedTo(ChronoUnit.MILLIS)),
          row.getAs("last_modified_date"), o.key());
      assertEquals(Boolean.FALSE, row.getAs("is_multipart_uploaded"), o.key());
    }
  }

  @Test
  void aPrefixListsOnlyItsKeysAndNoFieldNeedingAHeadSendsNone() {
    String destination = Buckets.create(S3, "inventory-prefix");
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      InventoryGenerator.Result result = generate(InventoryConfiguration.of(source, "logs/",
          null, "Size,ChecksumAlgorithm,ObjectOwner", "CSV", destination, null, null),
          proxy.clientSettings());

      assertEquals(listedByTheTest(source, "logs/").keySet(), readBack(result).stream()
          .map(r -> (String) r.getAs("key")).collect(Collectors.toCollection(TreeSet::new)));
      assertEquals(List.of(), proxy.requests().stream()
          .filter(r -> r.method().equals("HEAD") && !r.path().equals("/" + source)
              && !r.path().equals("/" + destination)).toList(),
          "a listing answers Size, ChecksumAlgorithm and ObjectOwner");
    }
  }

  @Test
  void headFieldsAreWhatEachObjectsHeadSays() {
    String locked = "inventory-lock-" + Long.toHexString(System.nanoTime());
    S3.createBucket(b -> b.bucket(locked).objectLockEnabledForBucket(true));
    String destination = Buckets.create(S3, "inventory-heads");
    Instant until = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    S3.putObject(b -> b.bucket(locked).key("plain"), RequestBody.fromString("p"));
    S3.putObject(b -> b.bucket(locked).key("sse-s3")
        .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromString("s"));
    // S3 takes an object under Object Lock only with a checksum of its body
    S3.putObject(b -> b.bucket(locked).key("held").checksumAlgorithm(ChecksumAlgorithm.SHA256)
        .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromString("h"));
    S3.putObject(b -> b.bucket(locked).key("retained").checksumAlgorithm(ChecksumAlgorithm.SHA256)
        .objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(until),
        RequestBody.fromString("r"));

    InventoryGenerator.Result result = generate(InventoryConfiguration.of(locked, null, null,
        "EncryptionStatus,ObjectLockMode,ObjectLockRetainUntilDate,ObjectLockLegalHoldStatus",
        "Parquet", destination, null, null), SERVER.clientSettings());

    Map<String, Row> byKey = readBack(result).stream().collect(Collectors.toMap(
        r -> r.getAs("key"), r -> r));
    assertEquals(Set.of("plain", "sse-s3", "held", "retained"), byKey.keySet());
    assertEquals("NOT-SSE", byKey.get("plain").getAs("encryption_status"));
    assertEquals("SSE-S3", byKey.get("sse-s3").getAs("encryption_status"));
    assertEquals("ON", byKey.get("held").getAs("object_lock_legal_hold_status"));
    assertNull(byKey.get("held").getAs("object_lock_mode"));
    assertEquals("GOVERNANCE", byKey.get("retained").getAs("object_lock_mode"));
    assertEquals(Timestamp.from(until), byKey.get("retained")
        .getAs("object_lock_retain_until_date"));
    assertNull(byKey.get("plain").getAs("object_lock_retain_until_date"));
  }

  @Test
  void allVersionsListsEveryVersionWithItsIdAndWhichIsLatest() {
    String versioned = Buckets.createVersioned(S3, "inventory-versions");
    String destination = Buckets.create(S3, "inventory-versions-dst");
    Buckets.put(S3, versioned, "doc 1.txt", "first");
    Buckets.put(S3, versioned, "doc 1.txt", "second");
    Buckets.put(S3, versioned, "other", "only");

    InventoryGenerator.Result result = generate(InventoryConfiguration.of(versioned, null,
        "All", "Size", "ORC", destination, null, null), SERVER.clientSettings());

    Set<String> expected = S3.listObjectVersions(b -> b.bucket(versioned)).versions().stream()
        .map(v -> v.key() + "@" + v.versionId() + ":" + v.isLatest())
        .collect(Collectors.toSet());
    List<Row> rows = readBack(result);
    assertEquals(expected, rows.stream().map(r -> r.getAs("key") + "@" + r.getAs("version_id")
        + ":" + r.getAs("is_latest")).collect(Collectors.toSet()));
    assertEquals(3, rows.size());
    assertFalse(rows.stream().anyMatch(r -> (boolean) r.getAs("is_delete_marker")));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
