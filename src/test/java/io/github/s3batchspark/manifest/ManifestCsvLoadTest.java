package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class ManifestCsvLoadTest {
  private static final List<ManifestField> BUCKET_KEY_VERSION =
      List.of(ManifestField.BUCKET, ManifestField.KEY, ManifestField.VERSION_ID);

  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();
  private final SparkSession spark = LocalSpark.session();

  @Test
  void encodedKeysDecodeToTheExactKeysOfExistingObjects() {
    String bucket = Buckets.create(s3, "csv-keys");
    List<String> keys = List.of("plain/key.txt", "with space.txt", "plus+sign.txt",
        "per%cent.txt", "caf\u00e9/\u65e5\u672c\u8a9e.txt", "comma,in key.txt");
    keys.forEach(k -> Buckets.put(s3, bucket, k, "body"));
    String manifest = keys.stream()
        .map(k -> bucket + "," + URLEncoder.encode(k, StandardCharsets.UTF_8))
        .collect(Collectors.joining("\n", "", "\n"))
        + bucket + ",object%20key%20with%20spaces\n"; // the style of Amazon's own example
    Buckets.put(s3, bucket, "object key with spaces", "body");

    List<Row> rows = load(ManifestRequest.csv(put(bucket, "m.csv", manifest), null)).collectAsList();

    Set<String> loaded = rows.stream().map(r -> r.<String>getAs("key")).collect(Collectors.toSet());
    assertEquals(keys.size() + 1, rows.size());
    assertTrue(loaded.containsAll(keys), loaded.toString());
    assertTrue(loaded.contains("object key with spaces"));
    for (String key : loaded) {
      s3.headObject(b -> b.bucket(bucket).key(key)); // each decoded key names a real object
    }
    assertTrue(rows.stream().allMatch(r -> bucket.equals(r.getAs("bucket"))
        && r.getAs("version_id") == null && r.getAs("etag") == null));
  }

  @Test
  void rowsHaveTheCanonicalColumnsInLineOrderDespiteBomCrlfAndBlankLines() {
    String bucket = Buckets.create(s3, "csv-order");
    var location = put(bucket, "m.csv", "\uFEFF" + bucket + ",b\r\n" + bucket + ",a\r\n\r\n" + bucket + ",c");

    var manifest = load(ManifestRequest.csv(location, null));

    assertEquals(List.of("bucket", "key", "version_id", "etag"), List.of(manifest.columns()));
    assertEquals(List.of("b", "a", "c"),
        manifest.collectAsList().stream().map(r -> r.getString(1)).toList());
    assertTrue(manifest.collectAsList().stream().allMatch(r -> bucket.equals(r.getString(0))));
  }

  @Test
  void ignoredColumnsAndQuotedFieldsFollowTheSpecFields() {
    String bucket = Buckets.create(s3, "csv-ignore");
    var location = put(bucket, "m.csv", "x1,\"" + bucket + "\",\"docs/a+b.txt\",extra\n");
    var request = ManifestRequest.csv(location, List.of(ManifestField.IGNORE,
        ManifestField.BUCKET, ManifestField.KEY, ManifestField.IGNORE));

    Row row = load(request).first();

    assertEquals(bucket, row.getAs("bucket"));
    assertEquals("docs/a b.txt", row.getAs("key"));
  }

  @Test
  void versionIdFieldAddressesTheListedVersion() {
    S3Client moto = LocalS3Server.moto().client();
    String bucket = Buckets.create(moto, "csv-versions");
    moto.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(
        v -> v.status("Enabled")));
    Buckets.put(moto, bucket, "doc v.txt", "first");
    String first = moto.listObjectVersions(b -> b.bucket(bucket)).versions().get(0).versionId();
    Buckets.put(moto, bucket, "doc v.txt", "second");
    String etag = Buckets.put(moto, bucket, "m.csv", bucket + ",doc+v.txt," + first + "\n");
    var request = ManifestRequest.csv(new ManifestLocation(bucket, "m.csv", null, etag),
        BUCKET_KEY_VERSION);

    Row row = ManifestLoader.load(spark, request, LocalS3Server.moto().clientSettings()).first();

    assertEquals("doc v.txt", row.getAs("key"));
    assertEquals(first, row.getAs("version_id"));
  }

  @Test
  void objectVersionIdOfTheManifestReadsThatVersion() {
    S3Client moto = LocalS3Server.moto().client();
    String bucket = Buckets.create(moto, "csv-manifest-version");
    moto.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(
        v -> v.status("Enabled")));
    var firstPut = moto.putObject(b -> b.bucket(bucket).key("m.csv"),
        software.amazon.awssdk.core.sync.RequestBody.fromString(bucket + ",old\n"));
    Buckets.put(moto, bucket, "m.csv", bucket + ",new\n");
    var request = ManifestRequest.csv(
        new ManifestLocation(bucket, "m.csv", firstPut.versionId(), firstPut.eTag()), null);

    Row row = ManifestLoader.load(spark, request, LocalS3Server.moto().clientSettings()).first();

    assertEquals("old", row.getAs("key"));
  }

  @Test
  void manifestWhoseEtagDiffersFromTheSpecIsRefused() {
    String bucket = Buckets.create(s3, "csv-etag");
    Buckets.put(s3, bucket, "m.csv", bucket + ",a\n");
    var request = ManifestRequest.csv(
        new ManifestLocation(bucket, "m.csv", null, "\"0123456789abcdef0123456789abcdef\""), null);

    var e = assertThrows(ManifestException.class, () -> load(request));

    assertTrue(e.getMessage().contains("s3://" + bucket + "/m.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("0123456789abcdef0123456789abcdef"), e.getMessage());
    assertTrue(e.getMessage().contains("Manifest.Location.ETag"), e.getMessage());
  }

  @Test
  void lineWithTheWrongNumberOfFieldsIsRefusedNamingTheLine() {
    String bucket = Buckets.create(s3, "csv-fields");
    var location = put(bucket, "m.csv", bucket + ",a\n" + bucket + ",b\n" + bucket + ",c,v1\n");

    var e = assertThrows(ManifestException.class,
        () -> load(ManifestRequest.csv(location, null)));

    assertEquals("Manifest s3://" + bucket + "/m.csv line 3 has 3 fields but Manifest.Spec.Fields"
        + " [Bucket, Key] names 2; fix the manifest (no object was touched)", e.getMessage());
  }

  @Test
  void undecodableKeyIsRefusedNamingTheLineAndTheKey() {
    String bucket = Buckets.create(s3, "csv-escape");
    var location = put(bucket, "m.csv", bucket + ",ok\n" + bucket + ",100%+done\n");

    var e = assertThrows(ManifestException.class,
        () -> load(ManifestRequest.csv(location, null)));

    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("'100%+done'"), e.getMessage());
    assertTrue(e.getMessage().contains("%25"), e.getMessage());
  }

  @Test
  void emptyBucketKeyOrVersionIsRefusedNamingTheLine() {
    String bucket = Buckets.create(s3, "csv-empty");
    var noKey = put(bucket, "k.csv", bucket + ",a\n" + bucket + ",\n");
    var noBucket = put(bucket, "b.csv", ",a\n");
    var noVersion = put(bucket, "v.csv", bucket + ",a,v1\n" + bucket + ",b,v2\n" + bucket + ",c,\n");

    var key = assertThrows(ManifestException.class, () -> load(ManifestRequest.csv(noKey, null)));
    var bkt = assertThrows(ManifestException.class,
        () -> load(ManifestRequest.csv(noBucket, null)));
    var version = assertThrows(ManifestException.class,
        () -> load(ManifestRequest.csv(noVersion, BUCKET_KEY_VERSION)));

    assertTrue(key.getMessage().contains("line 2 has an empty key"), key.getMessage());
    assertTrue(bkt.getMessage().contains("line 1 has an empty bucket"), bkt.getMessage());
    assertTrue(version.getMessage().contains("line 3 has an empty VersionId"),
        version.getMessage());
  }

  @Test
  void missingManifestObjectIsRefusedClearly() {
    String bucket = Buckets.create(s3, "csv-missing");
    var request = ManifestRequest.csv(new ManifestLocation(bucket, "nope.csv", null, "e"), null);

    var e = assertThrows(ManifestException.class, () -> load(request));

    assertEquals("Cannot read manifest s3://" + bucket + "/nope.csv: the object does not exist"
        + " (check Manifest.Location.ObjectArn)", e.getMessage());
  }

  @Test
  void manifestInMissingBucketIsRefusedNamingTheBucket() {
    var request = ManifestRequest.csv(
        ManifestLocation.fromObjectArn("arn:aws:s3:::no-such-bucket-4711/m.csv", null, "e"), null);

    var e = assertThrows(ManifestException.class, () -> load(request));

    assertTrue(e.getMessage().contains("bucket 'no-such-bucket-4711' does not exist"),
        e.getMessage());
  }

  @Test
  void unreachableStoreIsRefusedNamingTheManifest() {
    var request = ManifestRequest.csv(new ManifestLocation("b", "m.csv", null, "e"), null);
    var nowhere = server.clientSettings().withEndpoint("http://127.0.0.1:9");

    var e = assertThrows(ManifestException.class,
        () -> ManifestLoader.load(spark, request, nowhere));

    assertTrue(e.getMessage().startsWith("Cannot read manifest s3://b/m.csv: cannot reach S3"),
        e.getMessage());
  }

  @Test
  void manifestReadInSmallSplitsHasTheRowsAndTaskIdsOfOneStream() {
    String bucket = Buckets.create(s3, "csv-splits");
    StringBuilder body = new StringBuilder("\uFEFF");
    for (int i = 0; i < 40; i++) {
      body.append(i % 3 == 0 ? "\"" + bucket + "\"" : bucket).append(",dir/k%C3%A9y+").append(i)
          .append(i % 4 == 0 ? "\r\n" : "\n").append(i % 7 == 0 ? "\n \r\n" : "");
    }
    var request = ManifestRequest.csv(put(bucket, "m.csv", body.toString()), null);

    List<Row> whole = read(request, CsvManifestReader.MAX_SPLIT_BYTES).collectAsList();
    var inSplits = read(request, 64);

    assertTrue(inSplits.rdd().getNumPartitions() > 10, "partitions: "
        + inSplits.rdd().getNumPartitions());
    assertEquals(whole, inSplits.collectAsList());
    assertEquals(40, whole.size());
    for (int i = 0; i < 40; i++) {
      assertEquals("dir/k\u00e9y " + i, whole.get(i).getAs("key"));
      assertEquals((long) i, whole.get(i).<Long>getAs("task_id"));
    }
  }

  @Test
  void brokenLineIsNamedByItsNumberWhicheverSplitReadsIt() {
    String bucket = Buckets.create(s3, "csv-split-broken");
    StringBuilder body = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      body.append(bucket).append(",k").append(i).append(i % 5 == 0 ? "\n\n" : "\r\n");
    }
    body.append(bucket).append(",k,v1\n").append(bucket).append(",after\n");
    var request = ManifestRequest.csv(put(bucket, "m.csv", body.toString()), null);

    for (long splitBytes : List.of(CsvManifestReader.MAX_SPLIT_BYTES, 50L, 64L)) {
      var e = assertThrows(ManifestException.class, () -> read(request, splitBytes));

      assertEquals("Manifest s3://" + bucket + "/m.csv line 37 has 3 fields but"
          + " Manifest.Spec.Fields [Bucket, Key] names 2; fix the manifest (no object was"
          + " touched)", e.getMessage(), "split size " + splitBytes);
    }
  }

  @Test
  void manifestReplacedAfterItWasCheckedIsNotRead() {
    String bucket = Buckets.create(s3, "csv-replaced");
    var request = ManifestRequest.csv(put(bucket, "m.csv", bucket + ",a\n" + bucket + ",b\n"),
        null);
    var checked = read(request, 4);

    Buckets.put(s3, bucket, "m.csv", bucket + ",other\n");

    var e = assertThrows(Exception.class, checked::collectAsList);
    assertTrue(String.valueOf(e.getMessage()).contains("Cannot read manifest s3://" + bucket
        + "/m.csv: it changed while being read"), e.getMessage());
  }

  @Test
  void newVersionWrittenAfterTheCheckIsNotWhatTheSplitsRead() {
    LocalS3Server motoServer = LocalS3Server.moto();
    S3Client moto = motoServer.client();
    String bucket = Buckets.create(moto, "csv-pinned-version");
    moto.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(
        v -> v.status("Enabled")));
    String checkedBody = bucket + ",one\n" + bucket + ",two\n" + bucket + ",three\n";
    String etag = Buckets.put(moto, bucket, "m.csv", checkedBody);
    var request = ManifestRequest.csv(new ManifestLocation(bucket, "m.csv", null, etag), null);
    var checked = CsvManifestReader.read(spark, moto, motoServer.clientSettings(), request, 5);

    Buckets.put(moto, bucket, "m.csv", bucket + ",new\n");

    assertEquals(List.of("one", "two", "three"),
        checked.collectAsList().stream().map(r -> r.getString(1)).toList());
  }

  private org.apache.spark.sql.Dataset<Row> read(ManifestRequest request, long splitBytes) {
    return CsvManifestReader.read(spark, s3, server.clientSettings(), request, splitBytes);
  }

  private ManifestLocation put(String bucket, String key, String body) {
    return new ManifestLocation(bucket, key, null, Buckets.put(s3, bucket, key, body));
  }

  private org.apache.spark.sql.Dataset<Row> load(ManifestRequest request) {
    return ManifestLoader.load(spark, request, server.clientSettings());
  }
}
