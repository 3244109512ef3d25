package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.LocalSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The order in which a job hands the versions of each object to an order-keeping operation. */
class VersionOrderTest {
  private static final StructType INVENTORY = new StructType()
      .add("bucket", DataTypes.StringType).add("key", DataTypes.StringType)
      .add("version_id", DataTypes.StringType).add("etag", DataTypes.StringType)
      .add("is_latest", DataTypes.BooleanType)
      .add("last_modified_date", DataTypes.TimestampType)
      .add("task_id", DataTypes.LongType);

  private final SparkSession spark = LocalSpark.session();

  /**
   * 40 objects of 1 to 4 versions, listed newest first as S3 lists them; the version named
   * {@code <key>-v<n>} was written n-th. Two versions of each object share a second, so the
   * latest one is told apart by is_latest alone.
   */
  private Dataset<Row> inventory() {
    List<Row> rows = new ArrayList<>();
    long taskId = 0;
    for (int k = 0; k < 40; k++) {
      int versions = k % 4 + 1;
      for (int n = versions; n >= 1; n--) {
        long second = n == versions && versions > 1 ? n - 1 : n;
        rows.add(RowFactory.create("b", "key" + k, "key" + k + "-v" + n, "e", n == versions,
            new Timestamp(1_700_000_000_000L + second * 1000), taskId++));
      }
    }
    return spark.createDataFrame(rows, INVENTORY);
  }

  @Test
  void eachPartitionRunsEveryObjectsOldestVersionThenTheNextOne() {
    List<List<Row>> partitions = VersionOrder.partitioned(inventory(), 3).javaRDD().glom()
        .collect();

    Map<String, Integer> partitionOfKey = new HashMap<>();
    int total = 0;
    for (int p = 0; p < partitions.size(); p++) {
      Map<String, Integer> seen = new HashMap<>();
      int round = 1;  // every object's n-th version comes before any object's (n+1)-th
      for (Row row : partitions.get(p)) {
        String key = row.getString(1);
        partitionOfKey.putIfAbsent(key, p);
        assertEquals(p, partitionOfKey.get(key), key + " is in one partition only");
        int n = seen.merge(key, 1, Integer::sum);
        assertEquals(key + "-v" + n, row.getString(2), "versions of " + key + " oldest first");
        assertTrue(n >= round, "round " + n + " of " + key + " after round " + round);
        round = n;
        total++;
      }
    }
    assertEquals(inventory().count(), total);
  }

  @Test
  void firstWaveTakesWholeObjects() {
    Dataset<Row> tasks = inventory();
    List<Row> first = tasks.filter(VersionOrder.firstWave(tasks.count(), 25)).collectAsList();

    Set<String> keys = new HashSet<>();
    first.forEach(r -> keys.add(r.getString(1)));
    assertFalse(keys.isEmpty());
    for (String key : keys) {
      long all = tasks.filter("key = '" + key + "'").count();
      assertEquals(all, first.stream().filter(r -> r.getString(1).equals(key)).count(), key);
    }
  }
}
