package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code s3batch run} of a job whose manifest is a DynamoDB table, at the command line: a table
 * that does not exist, or an item without its object, is one line on stderr naming the table
 * (and the item), never a stack trace; DynamoDB is reached at {@code --events-endpoint-url}.
 */
class DynamoDbManifestCliTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static final DynamoDbAsyncClient DYNAMODB = ExecutorClients.get(
      SERVER.clientSettings().withEventsEndpoint(SERVER.endpoint())).dynamoDb();
  private static String bucket;

  @TempDir Path dir;

  @BeforeAll
  static void bucketWithObjects() {
    LocalSpark.session();
    bucket = Buckets.create(S3, "dynamo-cli");
    Buckets.put(S3, bucket, "a.txt", "a");
  }

  @Test
  void runOfATableThatDoesNotExistFailsInOneLineNamingTheTable() throws Exception {
    CliOutcome o = run(job("absent-table"));

    assertFailedInOneLine(o, "DynamoDBManifest.TableName: table 'absent-table' does not exist"
        + " in DynamoDB at " + SERVER.endpoint());
    // the job's description shows the table that is its manifest, as it shows a Manifest
    assertEquals("absent-table", o.json().at("/Job/DynamoDBManifest/TableName").asText(),
        o.out());
  }

  @Test
  void runOfATableWithAnItemWithoutItsKeyFailsInOneLineNamingTheItem() throws Exception {
    String table = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    DYNAMODB.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))).join();
    DYNAMODB.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS("x1"),
        "bucket", AttributeValue.fromS(bucket)))).join();

    CliOutcome o = run(job(table));

    assertFailedInOneLine(o, "item {id=x1} has no non-empty string attribute object_key"
        + " (KeyAttribute)");
  }

  private CliOutcome run(Path job) {
    return CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), "run", "--cli-input-json",
        "file://" + job, "--events-endpoint-url", SERVER.endpoint());
  }

  private static void assertFailedInOneLine(CliOutcome o, String named) {
    assertEquals(1, o.code(), o.err());
    List<String> failures = o.err().lines().filter(l -> l.startsWith("Failure: ")).toList();
    assertEquals(1, failures.size(), o.err());
    assertTrue(failures.get(0).startsWith("Failure: ManifestReadFailed: ")
        && failures.get(0).contains(named), o.err());
    assertTrue(!o.err().contains("\tat ") && !o.err().contains("Exception in"), o.err());
  }

  private Path job(String table) throws Exception {
    Path file = dir.resolve("job-" + UUID.randomUUID() + ".json");
    Files.writeString(file, """
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "k", "Value": "v"}]}},
         "DynamoDBManifest": {"TableName": "%s", "BucketAttribute": "bucket",
             "KeyAttribute": "object_key", "TotalSegments": 3},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(table));
    return file;
  }
}
