package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.InventoryFixture;
import io.github.s3batchspark.testing.InventoryFixture.Entry;
import io.github.s3batchspark.testing.InventoryFixture.Format;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class ManifestTaskIdsTest {
  /** spark-testing-base's DataFrame assertions; they compare the frames given, on any session. */
  private static final JavaDataFrameSuiteBase FRAMES = new JavaDataFrameSuiteBase();

  private final SparkSession spark = LocalSpark.session();

  @Test
  void taskIdsAreUniqueAndDenseAcrossPartitions() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(RowFactory.create("b", "k" + i, null, null));
    }
    Dataset<Row> manifest = spark.createDataFrame(rows, ManifestSchema.OBJECT_COLUMNS)
        .repartition(7);

    List<Long> ids = TaskIds.assign(manifest).select(ManifestSchema.TASK_ID).collectAsList()
        .stream().map(r -> r.getLong(0)).sorted().toList();

    assertEquals(LongStream.range(0, 1000).boxed().toList(), ids);
  }

  @Test
  void sameInventoryReadTwiceGetsTheSameTaskIdsAndSurvivesParquet() throws IOException {
    LocalS3Server server = LocalS3Server.s3mock();
    S3Client s3 = server.client();
    String destination = Buckets.create(s3, "taskids");
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      entries.add(Entry.current("src", "obj " + i, i, "e" + i, i % 2 == 0 ? "STANDARD" : "GLACIER"));
    }
    var report = InventoryFixture.write(s3, spark, destination, Format.CSV, false, entries, 3);
    var request = ManifestRequest.inventory(report.manifest()).withWhere("size >= 10");

    Dataset<Row> first = ManifestLoader.loadWithTaskIds(spark, request, server.clientSettings());
    Dataset<Row> second = ManifestLoader.loadWithTaskIds(spark, request, server.clientSettings());
    String dir = Files.createTempDirectory("numbered").resolve("manifest").toString();
    first.write().parquet(dir);
    Dataset<Row> persisted = spark.read().parquet(dir);

    FRAMES.assertDataFrameEquals(first.orderBy(ManifestSchema.TASK_ID),
        second.orderBy(ManifestSchema.TASK_ID), FRAMES.assertDataFrameEquals$default$3());
    // Parquet marks every column nullable when read back; the values must be identical
    Dataset<Row> firstAsPersisted = spark.createDataFrame(first.javaRDD(), persisted.schema());
    FRAMES.assertDataFrameEquals(firstAsPersisted.orderBy(ManifestSchema.TASK_ID),
        persisted.orderBy(ManifestSchema.TASK_ID), FRAMES.assertDataFrameEquals$default$3());
    assertEquals(50, persisted.count());
    assertEquals(49L, persisted.agg(functions.max(ManifestSchema.TASK_ID)).first().getLong(0));
  }

  @Test
  void manifestThatAlreadyHasTaskIdsIsRefused() {
    Dataset<Row> numbered = TaskIds.assign(spark.createDataFrame(
        List.of(RowFactory.create("b", "k", null, null)), ManifestSchema.OBJECT_COLUMNS));

    assertThrows(ManifestException.class, () -> TaskIds.assign(numbered));
  }
}
