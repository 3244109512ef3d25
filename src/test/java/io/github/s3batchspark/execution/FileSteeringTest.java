package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.lang3.SerializationUtils;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steering file as executors read it: the run's share, its cap on starts, its stop. */
class FileSteeringTest {
  private static SparkSession spark;
  private static Broadcast<SerializableConfiguration> hadoopConf;

  @TempDir Path dir;

  @BeforeAll
  static void localSpark() {
    spark = LocalSpark.session();
    hadoopConf = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
  }

  @Test
  void startsLineReachesATaskOnAnExecutorWithTheShare() throws Exception {
    FileSteering steering = steering("share 0.5\nstarts 40.0\n");

    List<List<Double>> seen = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(1), 1).map(i -> {
          List<Double> told = List.of(steering.startsPerSecond(), steering.inFlightShare());
          steering.partitionEnded();
          return told;
        }).collect();

    assertEquals(List.of(List.of(40.0, 0.5)), seen);
  }

  @Test
  void theCapOfOneJvmIsSharedByTheRunsPartitionsRunningThereAndAnEndedOneFreesItsPart()
      throws Exception {
    FileSteering file = steering("share 1.0\nstarts 40.0\n");
    // Each partition deserialises its own copy, as a Spark task does.
    FileSteering first = SerializationUtils.clone(file);
    FileSteering second = SerializationUtils.clone(file);

    assertEquals(40.0, first.startsPerSecond(), "alone in the JVM: the whole cap");
    assertEquals(20.0, second.startsPerSecond(), "two partitions: half each");
    assertEquals(20.0, first.startsPerSecond());

    second.partitionEnded();

    assertEquals(40.0, first.startsPerSecond(), "the ended partition's part is the other's");
  }

  @Test
  void aFileWithoutAStartsLineLeavesStartsUncappedAndAStopLineStops() throws Exception {
    FileSteering steering = steering("share 0.25\nstop cancelled\n");

    assertEquals(Double.POSITIVE_INFINITY, steering.startsPerSecond());
    assertEquals(0.25, steering.inFlightShare());
    assertEquals(true, steering.stopRequested());
  }

  @Test
  void aStartsLineThatIsNotAPositiveNumberIsNoCap() throws Exception {
    assertEquals(Double.POSITIVE_INFINITY, steering("starts -3\n").startsPerSecond());
    assertEquals(Double.POSITIVE_INFINITY, steering("starts twelve\n").startsPerSecond());
  }

  /** A steering file of its own (executors' views are per file and JVM) saying {@code text}. */
  private FileSteering steering(String text) throws Exception {
    Path file = Files.createTempFile(dir, "run-", ".steering");
    Files.writeString(file, text);
    return new FileSteering(file.toUri().toString(), hadoopConf);
  }
}
