package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A job whose manifest is a DynamoDB table ({@code DynamoDBManifest}), run through JobRunner on
 * moto_server, which serves S3 (versioned buckets too) and DynamoDB on one port.
 */
class DynamoDbManifestJobTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final ClientSettings CLIENTS =
      SERVER.clientSettings().withEventsEndpoint(SERVER.endpoint());
  private static final DynamoDbAsyncClient DYNAMODB = ExecutorClients.get(CLIENTS).dynamoDb();
  private static final int ITEMS = 37;
  private static SparkSession spark;
  private static String bucket;

  @TempDir Path storeDir;

  @BeforeAll
  static void bucketWithMoreObjectsThanTheTableNames() {
    spark = LocalSpark.session();
    bucket = Buckets.create(S3, "dynamo-manifest");
    for (int i = 0; i < 60; i++) {
      Buckets.put(S3, bucket, "photos/p" + i + ".jpg", "x".repeat(i));
    }
  }

  @Test
  void jobReadingATableInSeveralSegmentsTagsExactlyTheItemsObjectsOnce() {
    String table = table();
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < ITEMS; i++) {
      String key = "photos/p" + (i * 3 % 60) + ".jpg";
      if (listed.add(key)) {
        put(table, Map.of("id", s("item-" + i), "object_bucket", s(bucket), "object key", s(key)));
      }
    }

    JobRecord done = run(job(table, "\"TotalSegments\": 5"));

    assertEquals(JobStatus.COMPLETE, done.status(), String.valueOf(done.failureReasons()));
    assertEquals(listed.size(), done.progress().totalNumberOfTasks());
    assertEquals(listed.size(), done.progress().numberOfTasksSucceeded());
    assertEquals(listed, tagged());
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    List<Row> manifest = spark.read().parquet(JobDirectory.of(store, done.jobId()).manifest())
        .collectAsList();
    assertEquals(listed.size(), manifest.stream().map(r -> r.getLong(r.fieldIndex("task_id")))
        .distinct().count());
  }

  @Test
  void itemWithoutTheKeyAttributeFailsTheJobInOneLineNamingTheItemAndAttribute() {
    String table = table();
    put(table, Map.of("id", s("good"), "object_bucket", s(bucket),
        "object key", s("photos/p1.jpg")));
    put(table, Map.of("id", s("no-key"), "object_bucket", s(bucket)));

    JobRecord done = run(job(table, "\"TotalSegments\": 2"));

    assertEquals(JobStatus.FAILED, done.status());
    String reason = done.failureReasons().get(0).failureReason();
    assertEquals("ManifestReadFailed", done.failureReasons().get(0).failureCode());
    assertFalse(reason.contains("\n"), reason);
    assertTrue(reason.contains("item {id=no-key}") && reason.contains("object key (KeyAttribute)")
        && reason.contains("ItemsWithoutObject to Skip"), reason);
    assertEquals(Set.of(), tagged(Set.of("photos/p1.jpg")));
  }

  @Test
  void itemsWithoutAnObjectAreLeftOutWhenTheJobSaysSkip() {
    String table = table();
    put(table, Map.of("id", s("good"), "object_bucket", s(bucket),
        "object key", s("photos/p2.jpg")));
    put(table, Map.of("id", s("no-bucket"), "object key", s("photos/p4.jpg")));
    put(table, Map.of("id", s("numeric-key"), "object_bucket", s(bucket),
        "object key", AttributeValue.fromN("5")));

    JobRecord done = run(job(table, "\"ItemsWithoutObject\": \"Skip\""));

    assertEquals(JobStatus.COMPLETE, done.status(), String.valueOf(done.failureReasons()));
    assertEquals(1, done.progress().totalNumberOfTasks());
    assertEquals(Set.of("photos/p2.jpg"), tagged(Set.of("photos/p2.jpg", "photos/p4.jpg",
        "5")));
  }

  @Test
  void whereOverTheTablesRowsIsCheckedAtCreateJobAndPicksTheRows() {
    String table = table();
    for (String key : List.of("photos/p1.jpg", "photos/p10.jpg", "photos/p2.jpg")) {
      put(table, Map.of("id", s(key), "object_bucket", s(bucket), "object key", s(key)));
    }
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);

    var refused = assertThrows(JobSpecException.class, () -> JobRunner.create(store,
        JobSpecParser.parse(job(table, "\"TotalSegments\": 2", "size > 1"))));
    JobRecord done = run(job(table, "\"TotalSegments\": 2", "key LIKE 'photos/p1%'"));

    assertTrue(refused.getMessage().contains("size"), refused.getMessage());
    assertEquals(JobStatus.COMPLETE, done.status(), String.valueOf(done.failureReasons()));
    assertEquals(Set.of("photos/p1.jpg", "photos/p10.jpg"), tagged(Set.of("photos/p1.jpg",
        "photos/p10.jpg", "photos/p2.jpg")));
  }

  @Test
  void versionAttributeNamesTheVersionActedOnAndABlankOrMissingOneMeansTheLatest() {
    String versioned = Buckets.createVersioned(S3, "dynamo-versions");
    Map<String, List<String>> versions = new HashMap<>(); // key -> version ids, oldest first
    for (String key : List.of("v/older", "v/blank", "v/missing", "v/null")) {
      for (String body : List.of("first", "second")) {
        versions.computeIfAbsent(key, k -> new ArrayList<>()).add(S3.putObject(
            b -> b.bucket(versioned).key(key),
            RequestBody.fromString(body)).versionId());
      }
    }
    String table = table();
    put(table, Map.of("id", s("older"), "object_bucket", s(versioned), "object key", s("v/older"),
        "version", s(versions.get("v/older").get(0))));
    put(table, Map.of("id", s("blank"), "object_bucket", s(versioned), "object key", s("v/blank"),
        "version", s("")));
    put(table, Map.of("id", s("missing"), "object_bucket", s(versioned),
        "object key", s("v/missing")));
    put(table, Map.of("id", s("null"), "object_bucket", s(versioned), "object key", s("v/null"),
        "version", AttributeValue.fromNul(true)));

    JobRecord done = run(job(table,
        "\"VersionIdAttribute\": \"version\", \"TotalSegments\": 2"));

    assertEquals(JobStatus.COMPLETE, done.status(), String.valueOf(done.failureReasons()));
    assertEquals(4, done.progress().numberOfTasksSucceeded());
    assertEquals(Set.of(versions.get("v/older").get(0)), taggedVersions(versioned, "v/older"));
    for (String latest : List.of("v/blank", "v/missing", "v/null")) {
      assertEquals(Set.of(versions.get(latest).get(1)), taggedVersions(versioned, latest),
          latest);
    }
  }

  /** The versions of {@code key} that carry this test's tag. */
  private Set<String> taggedVersions(String versioned, String key) {
    return S3.listObjectVersions(b -> b.bucket(versioned).prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .filter(v -> S3.getObjectTagging(b -> b.bucket(versioned).key(key)
            .versionId(v.versionId())).tagSet().stream()
            .anyMatch(t -> t.value().equals(tagValue)))
        .map(v -> v.versionId()).collect(Collectors.toSet());
  }

  @Test
  void tableThatDoesNotExistFailsTheJobInOneLineNamingTheTable() {
    JobRecord done = run(job("no-such-table", "\"TotalSegments\": 2"));

    assertEquals(JobStatus.FAILED, done.status());
    String reason = done.failureReasons().get(0).failureReason();
    assertEquals("DynamoDBManifest.TableName: table 'no-such-table' does not exist in DynamoDB"
        + " at " + SERVER.endpoint() + "; check its name and the region (or give the table's"
        + " ARN)", reason);
  }

  private JobRecord run(String json) {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord created = JobRunner.create(store, JobSpecParser.parse(json));
    return new JobRunner(spark, store, RunSettings.defaults().withClients(CLIENTS)
        .withPartitions(2)).run(created.jobId());
  }

  /** Each test tags with its own value, so that it sees only the objects it tagged. */
  private final String tagValue = UUID.randomUUID().toString();

  private String job(String table, String more) {
    return job(table, more, null);
  }

  private String job(String table, String more, String where) {
    return """
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "run", "Value": "%s"}]}},
         "DynamoDBManifest": {"TableName": "%s", "BucketAttribute": "object_bucket",
             "KeyAttribute": "object key", %s},%s
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(tagValue, table, more, where == null ? ""
            : "\n \"ManifestFilter\": {\"Where\": \"" + where + "\"},");
  }

  private Set<String> tagged() {
    return tagged(S3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key).collect(Collectors.toSet()));
  }

  private Set<String> tagged(Set<String> keys) {
    return keys.stream().filter(k -> S3.listObjectsV2(b -> b.bucket(bucket).prefix(k)).keyCount()
            > 0)
        .filter(k -> S3.getObjectTagging(b -> b.bucket(bucket).key(k)).tagSet().stream()
            .anyMatch(t -> t.value().equals(tagValue)))
        .collect(Collectors.toSet());
  }

  private static String table() {
    String name = "manifest-" + UUID.randomUUID().toString().substring(0, 8);
    DYNAMODB.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))).join();
    return name;
  }

  private static void put(String table, Map<String, AttributeValue> item) {
    DYNAMODB.putItem(b -> b.tableName(table).item(new HashMap<>(item))).join();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
