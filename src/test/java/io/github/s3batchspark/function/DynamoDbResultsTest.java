package io.github.s3batchspark.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobDirectory;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpecException;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;

/**
 * The built-in function DynamoDbResults in a real job on moto_server (S3 and DynamoDB on one
 * port): one item per object, with what S3 says of it.
 */
class DynamoDbResultsTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final ClientSettings CLIENTS =
      SERVER.clientSettings().withEventsEndpoint(SERVER.endpoint());
  private static final DynamoDbAsyncClient DYNAMODB = ExecutorClients.get(CLIENTS).dynamoDb();
  private static final int OBJECTS = 41;
  private static SparkSession spark;
  private static String bucket;
  private static final Map<String, String> BODIES = new HashMap<>();

  @TempDir Path storeDir;

  @BeforeAll
  static void objectsSomeTaggedSomeWithChecksums() {
    spark = LocalSpark.session();
    bucket = Buckets.create(S3, "dynamo-results");
    for (int i = 0; i < OBJECTS; i++) {
      String key = "docs/d" + i + ".txt";
      String body = "body of " + i + " " + "y".repeat(i);
      int n = i;
      S3.putObject(b -> {
        b.bucket(bucket).key(key);
        if (n % 3 == 0) {
          b.tagging("team=t" + n + "&kind=doc");
        }
        if (n % 2 == 0) {
          b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
      }, RequestBody.fromString(body));
      BODIES.put(key, body);
    }
  }

  @Test
  void jobWritesExactlyOneItemPerObjectWithWhatS3SaysOfIt() {
    String table = table();

    JobRecord done = run(job(table, "\"Checksum\": \"true\""));

    assertEquals(JobStatus.COMPLETE, done.status(), String.valueOf(done.failureReasons()));
    assertEquals(OBJECTS, done.progress().numberOfTasksSucceeded());
    List<Map<String, AttributeValue>> items = scan(table);
    assertEquals(OBJECTS, items.size());
    for (Map<String, AttributeValue> item : items) {
      String key = item.get("key").s();
      int n = Integer.parseInt(key.replaceAll("\\D", ""));
      String body = BODIES.get(key);
      var head = S3.headObject(b -> b.bucket(bucket).key(key));
      assertEquals("s3://" + bucket + "/" + key, item.get("object").s());
      assertEquals(bucket, item.get("bucket").s());
      assertEquals(String.valueOf(body.getBytes(StandardCharsets.UTF_8).length),
          item.get("size").n(), key);
      assertEquals(head.eTag().replace("\"", ""), item.get("etag").s(), key);
      assertEquals(done.jobId(), item.get("job_id").s());
      Map<String, AttributeValue> tags = item.get("tags").m();
      assertEquals(n % 3 == 0 ? Map.of("team", AttributeValue.fromS("t" + n), "kind",
          AttributeValue.fromS("doc")) : Map.of(), tags, key);
      if (n % 2 == 0) {
        assertEquals(crc32(body), item.get("checksum_crc32").s(), key);
      } else {
        assertFalse(item.containsKey("checksum_crc32"), key);
      }
    }
  }

  @Test
  void jobWithoutTableNameIsRefusedInOneLineBeforeAnythingIsRecorded() {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    String json = job("unused", "\"Tags\": \"false\"").replace("\"TableName\": \"unused\", ", "");

    var e = assertThrows(JobSpecException.class, () -> JobRunner.create(store,
        JobSpecParser.parse(json)));

    assertEquals("Operation.JavaFunction.UserArguments.TableName: required by DynamoDbResults:"
        + " the DynamoDB table that receives one item per object", e.getMessage());
    assertEquals(List.of(), store.list().jobs());
  }

  @Test
  void tableThatDoesNotExistFailsEveryTaskWithDynamoDbsErrorInTheResults() {
    JobRecord done = run(job("no-such-results-table", "\"Tags\": \"false\""));

    assertEquals(0, done.progress().numberOfTasksSucceeded());
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    List<Row> results = spark.read().parquet(JobDirectory.of(store, done.jobId()).results())
        .collectAsList();
    assertFalse(results.isEmpty());
    for (Row r : results) {
      assertEquals("failed", r.getAs("task_status"));
      assertEquals("ResourceNotFoundException", r.getAs("error_code"), r.toString());
      String message = r.getAs("result_message");
      assertTrue(message != null && !message.contains("\n"), message);
    }
  }

  private JobRecord run(String json) {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord created = JobRunner.create(store, JobSpecParser.parse(json));
    return new JobRunner(spark, store, RunSettings.defaults().withClients(CLIENTS)
        .withPartitions(2)).run(created.jobId());
  }

  private static String job(String table, String arguments) {
    return """
        {"AccountId": "123456789012",
         "Operation": {"JavaFunction": {"ClassName": "DynamoDbResults", "Threads": 32,
             "UserArguments": {"TableName": "%s", %s}}},
         "ManifestGenerator": {"S3JobManifestGenerator": {
            "SourceBucket": "arn:aws:s3:::%s", "EnableManifestOutput": false}},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(table, arguments, bucket);
  }

  private static String table() {
    String name = "results-" + UUID.randomUUID().toString().substring(0, 8);
    DYNAMODB.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(a -> a.attributeName("object").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("object").keyType(KeyType.HASH))).join();
    return name;
  }

  private static List<Map<String, AttributeValue>> scan(String table) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page = DYNAMODB.scan(b -> b.tableName(table).exclusiveStartKey(from)).join();
      items.addAll(page.items());
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return items;
  }

  private static String crc32(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue())
        .array());
  }
}
