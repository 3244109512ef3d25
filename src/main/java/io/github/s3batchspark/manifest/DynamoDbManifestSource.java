package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.AwsService;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The manifest of a job that names a DynamoDB table ({@code DynamoDBManifest}): the table is
 * read by a parallel Scan on the executors, one Spark partition per segment, page by page
 * ({@link SegmentScan}), so no item is ever held on the driver.
 *
 * <p>The driver checks first that the table exists (DescribeTable), so that a wrong name or
 * region is one line before any Spark job. A Scan is no snapshot ({@link #repeatable()}), so
 * the table is scanned once into the job directory before its rows are numbered
 * ({@link ManifestLoader}).
 */
public final class DynamoDbManifestSource implements ManifestSource {
  private final DynamoDbTableManifest table;

  public DynamoDbManifestSource(DynamoDbTableManifest table) {
    this.table = table;
  }

  /** The columns of its rows, for a {@code ManifestFilter.Where}: the four object columns. */
  public static List<String> columns() {
    return List.of(ManifestSchema.OBJECT_COLUMNS.fieldNames());
  }

  @Override
  public String description() {
    return "DynamoDB table " + table.tableName();
  }

  @Override
  public Dataset<Row> rows(SparkSession spark, ClientSettings settings) {
    List<String> primaryKey = primaryKey(settings);
    List<Integer> segments = IntStream.range(0, table.totalSegments()).boxed().toList();
    DynamoDbTableManifest scanned = table;
    JavaRDD<Row> items = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(segments, segments.size())
        .mapPartitions(segment -> scanAll(segment, scanned, primaryKey, settings));
    return spark.createDataFrame(items, ManifestSchema.OBJECT_COLUMNS);
  }

  /** A table scanned twice shows what was written and deleted in between. */
  @Override
  public boolean repeatable() {
    return false;
  }

  private static Iterator<Row> scanAll(Iterator<Integer> segments, DynamoDbTableManifest table,
      List<String> primaryKey, ClientSettings settings) {
    List<Integer> mine = new ArrayList<>();
    segments.forEachRemaining(mine::add);
    // parallelize gives each partition exactly one segment; more would be scanned in turn
    return mine.stream().flatMap(segment -> new SegmentScan(
        ExecutorClients.get(settings).dynamoDb(), table, primaryKey, segment).stream())
        .iterator();
  }

  /**
   * The names of the table's key attributes, read on the driver, so that an item refused for a
   * missing attribute can be named in the message.
   *
   * @throws ManifestException when the table does not exist or cannot be described
   */
  private List<String> primaryKey(ClientSettings settings) {
    try {
      DescribeTableResponse described = ExecutorClients.get(settings).dynamoDb()
          .describeTable(b -> b.tableName(table.tableName())).join();
      return described.table().keySchema().stream().map(KeySchemaElement::attributeName)
          .toList();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ResourceNotFoundException) {
        throw new ManifestException(DynamoDbTableManifest.FIELD + ".TableName: table '"
            + table.tableName() + "' does not exist in " + where(settings)
            + "; check its name and the region (or give the table's ARN)");
      }
      throw new ManifestException(DynamoDbTableManifest.FIELD + ".TableName: table '"
          + table.tableName() + "' cannot be described in " + where(settings) + ": "
          + SegmentScan.oneLine(e.getCause()));
    }
  }

  private static String where(ClientSettings settings) {
    String endpoint = settings.endpointOf(AwsService.DYNAMODB);
    return endpoint != null ? "DynamoDB at " + endpoint
        : "DynamoDB of region " + (settings.region() != null ? settings.region()
            : "(the SDK's default)");
  }
}
