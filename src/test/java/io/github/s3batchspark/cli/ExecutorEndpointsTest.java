package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An endpoint the driver has only from the SDK's environment reaches executors in JVMs of their
 * own through the job's settings: a job whose manifest is a DynamoDB table, run on Spark's
 * {@code local-cluster} (executors in their own JVMs), where DynamoDB's endpoint is given to the
 * driver by {@code AWS_ENDPOINT_URL_DYNAMODB} alone, and the executors' own environment names a
 * port where nothing listens. The table's segments are scanned on the executors; had they read
 * their environment, the Scan would fail and the job with it.
 */
class ExecutorEndpointsTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final DynamoDbAsyncClient DYNAMODB = ExecutorClients.get(
      SERVER.clientSettings().withEventsEndpoint(SERVER.endpoint())).dynamoDb();
  private static final int ITEMS = 12;

  @TempDir Path dir;

  @Test
  @Timeout(660) // a guard against a hang, not a time limit: a loaded machine is slow
  void executorsInOtherJvmsScanDynamoDbAtTheEndpointTheDriversEnvironmentGave() throws Exception {
    String bucket = Buckets.create(S3, "executor-endpoints");
    String table = "endpoints-" + UUID.randomUUID().toString().substring(0, 8);
    DYNAMODB.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))).join();
    Set<String> keys = new TreeSet<>();
    for (int i = 0; i < ITEMS; i++) {
      String key = "d/" + i;
      keys.add(key);
      Buckets.put(S3, bucket, key, "x");
      DYNAMODB.putItem(b -> b.tableName(table).item(new HashMap<>(Map.of(
          "id", AttributeValue.fromS(key), "bucket", AttributeValue.fromS(bucket),
          "key", AttributeValue.fromS(key))))).join();
    }
    Path job = dir.resolve("job.json");
    Files.writeString(job, """
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "scanned", "Value": "yes"}]}},
         "DynamoDBManifest": {"TableName": "%s", "BucketAttribute": "bucket",
             "KeyAttribute": "key", "TotalSegments": 3},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(table));
    Path store = dir.resolve("store");
    Path log = dir.resolve("run.log");
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    String nowhere = "http://127.0.0.1:" + closedPort();

    Process run = ChildRun.start(log, Map.of(
            // as in ExecutorLossTest: executors' command lines come from SPARK_HOME, which in
            // testing mode needs no distribution; they get the test's class path
            "SPARK_HOME", sparkHome.toString(), "SPARK_TESTING", "1",
            "SPARK_SCALA_VERSION", "2.12",
            // the driver's only word on where DynamoDB is
            "AWS_ENDPOINT_URL_DYNAMODB", SERVER.endpoint()),
        List.of("spark.master=local-cluster[1,1,1024]", "spark.executor.memory=768m",
            "spark.executor.extraClassPath=" + System.getProperty("java.class.path"),
            "spark.executor.extraJavaOptions=" + String.join(" ", ChildRun.moduleOpenings())
                + " -Daws.accessKeyId=test -Daws.secretAccessKey=test",
            // executors inherit the driver's environment here; on a cluster theirs is another
            "spark.executorEnv.AWS_ENDPOINT_URL_DYNAMODB=" + nowhere,
            "spark.s3batch.failFastMinTasks=0"),
        List.of("run", "--cli-input-json", "file://" + job, "--job-store", store.toString(),
            "--endpoint-url", SERVER.endpoint(), "--credentials", "caller",
            "--partitions", "2"));
    try {
      if (!run.waitFor(600, TimeUnit.SECONDS)) {
        throw new AssertionError("the run has not ended: " + Files.readString(log));
      }
    } finally {
      run.destroyForcibly();
    }
    String said = Files.readString(log);
    assertEquals(0, run.exitValue(), said);
    assertTrue(said.contains("\"Status\" : \"Complete\""), said);
    for (String key : keys) {
      assertEquals("yes", S3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().stream()
          .filter(t -> t.key().equals("scanned")).findFirst().orElseThrow(
              () -> new AssertionError(key + " not tagged: " + said)).value());
    }
    Path jobDir = Files.list(store.resolve("jobs")).findFirst().orElseThrow();
    Dataset<Row> results = LocalSpark.session().read()
        .parquet(jobDir.resolve("report-table").toString());
    assertEquals(ITEMS, results.filter("task_status = 'succeeded'").count());
  }

  /** A port on this machine where nothing listens (it was free a moment ago). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
