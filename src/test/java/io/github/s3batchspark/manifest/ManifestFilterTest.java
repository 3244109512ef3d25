package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.InventoryFixture.Entry;
import io.github.s3batchspark.testing.InventoryFixture.Format;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestFilterTest {
  private final LocalS3Server server = LocalS3Server.s3mock();
  private final S3Client s3 = server.client();
  private final SparkSession spark = LocalSpark.session();
  private ManifestRequest inventory;

  @BeforeAll
  void writeInventory() {
    String destination = Buckets.create(s3, "filter");
    var report = InventoryFixture.write(s3, spark, destination, Format.PARQUET, false, List.of(
        Entry.current("src", "small cold", 10, "e1", "GLACIER"),
        Entry.current("src", "big cold", 5_000_000, "e2", "GLACIER"),
        Entry.current("src", "big warm", 6_000_000, "e3", "STANDARD")), 1);
    inventory = ManifestRequest.inventory(report.manifest());
  }

  @Test
  void whereSelectsRowsByInventoryColumns() {
    var request = inventory.withWhere("storage_class = 'GLACIER' AND size > 1048576");

    List<Row> rows = load(request).collectAsList();

    assertEquals(List.of("big cold"), rows.stream().map(r -> r.<String>getAs("key")).toList());
  }

  @Test
  void whereOnACsvManifestCanUseKeyFunctions() {
    String bucket = Buckets.create(s3, "filter-csv");
    String etag = Buckets.put(s3, bucket, "m.csv",
        bucket + ",logs/a.gz\n" + bucket + ",img/b.png\n" + bucket + ",logs/c.txt\n");
    var request = ManifestRequest.csv(new ManifestLocation(bucket, "m.csv", null, etag), null)
        .withWhere("key LIKE 'logs/%' AND NOT endswith(key, '.txt')");

    assertEquals(List.of("logs/a.gz"),
        load(request).collectAsList().stream().map(r -> r.<String>getAs("key")).toList());
  }

  @Test
  void filteredCsvManifestIsNumberedDenselyInLineOrder() {
    String bucket = Buckets.create(s3, "filter-csv-ids");
    String etag = Buckets.put(s3, bucket, "m.csv", bucket + ",keep/1\n" + bucket + ",drop/2\n\n"
        + bucket + ",keep/3\n" + bucket + ",drop/4\n" + bucket + ",keep/5\n");
    var location = new ManifestLocation(bucket, "m.csv", null, etag);

    List<Row> all = ManifestLoader.loadWithTaskIds(spark, ManifestRequest.csv(location, null),
        server.clientSettings()).orderBy(ManifestSchema.TASK_ID).collectAsList();
    List<Row> kept = ManifestLoader.loadWithTaskIds(spark,
        ManifestRequest.csv(location, null).withWhere("key LIKE 'keep/%'"),
        server.clientSettings()).orderBy(ManifestSchema.TASK_ID).collectAsList();

    assertEquals(List.of("keep/1:0", "drop/2:1", "keep/3:2", "drop/4:3", "keep/5:4"),
        all.stream().map(r -> r.getAs("key") + ":" + r.getAs(ManifestSchema.TASK_ID)).toList());
    assertEquals(List.of("keep/1:0", "keep/3:1", "keep/5:2"),
        kept.stream().map(r -> r.getAs("key") + ":" + r.getAs(ManifestSchema.TASK_ID)).toList());
  }

  @Test
  void unknownColumnIsRefusedQuotingTheExpressionAndListingColumns() {
    var e = assertThrows(ManifestException.class,
        () -> load(inventory.withWhere("storageclass = 'GLACIER'")));

    assertTrue(e.getMessage().startsWith(
        "ManifestFilter.Where \"storageclass = 'GLACIER'\" cannot filter the manifest: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("storageclass"), e.getMessage());
    assertTrue(e.getMessage().contains("[bucket, key, version_id, etag, size, "
        + "last_modified_date, storage_class]"), e.getMessage());
  }

  @Test
  void expressionThatDoesNotParseIsRefused() {
    var e = assertThrows(ManifestException.class,
        () -> load(inventory.withWhere("size >> AND")));

    assertTrue(e.getMessage().startsWith("ManifestFilter.Where \"size >> AND\""), e.getMessage());
  }

  @Test
  void expressionThatIsNotAConditionIsRefused() {
    var e = assertThrows(ManifestException.class, () -> load(inventory.withWhere("size + 1")));

    assertTrue(e.getMessage().contains("ManifestFilter.Where \"size + 1\""), e.getMessage());
  }

  private Dataset<Row> load(ManifestRequest request) {
    return ManifestLoader.load(spark, request, server.clientSettings());
  }
}
