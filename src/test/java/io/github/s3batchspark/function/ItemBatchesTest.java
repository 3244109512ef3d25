package io.github.s3batchspark.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The items of calls running at once go to DynamoDB together, and each call still learns what
 * became of its own item; requests seen through {@link ForwardingS3Proxy} in front of moto.
 */
class ItemBatchesTest {
  /** Long enough that only a full batch is ever sent in these tests. */
  private static final long NEVER_MILLIS = 600_000;

  private final LocalS3Server moto = LocalS3Server.moto();
  private final ForwardingS3Proxy proxy = new ForwardingS3Proxy(moto);
  private final ClientSettings settings = proxy.clientSettings()
      .withEventsEndpoint(proxy.clientSettings().endpointUrl());
  private final DynamoDbAsyncClient dynamoDb = ExecutorClients.get(settings).dynamoDb();

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Test
  void twentyFiveItemsPutAtOnceAreWrittenByOneBatchWriteItem() {
    String table = table();
    ItemBatches batches = new ItemBatches(dynamoDb, table, NEVER_MILLIS);

    List<CompletableFuture<Void>> written = new ArrayList<>();
    for (int i = 0; i < ItemBatches.MAX_ITEMS; i++) {
      written.add(batches.put(Map.of("object", s("s3://b/k" + i), "size", n(i))));
    }
    written.forEach(CompletableFuture::join);

    assertEquals(List.of("DynamoDB_20120810.BatchWriteItem"), targets());
    assertEquals(ItemBatches.MAX_ITEMS, dynamoDb.scan(b -> b.tableName(table)).join().count());
  }

  @Test
  void batchRefusedForOneBadItemIsWrittenItemByItemAndOnlyThatItemsCallFails() {
    String table = table();
    ItemBatches batches = new ItemBatches(dynamoDb, table, NEVER_MILLIS);

    List<CompletableFuture<Void>> written = new ArrayList<>();
    for (int i = 0; i < ItemBatches.MAX_ITEMS; i++) {
      // item 7 lacks the table's key attribute: DynamoDB refuses the whole batch for it
      written.add(batches.put(i == 7 ? Map.of("size", n(i))
          : Map.of("object", s("s3://b/k" + i), "size", n(i))));
    }

    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      try {
        written.get(i).join();
      } catch (CompletionException e) {
        assertTrue(e.getCause() instanceof DynamoDbException, e.toString());
        failed.add(i);
      }
    }
    assertEquals(List.of(7), failed);
    List<String> targets = targets();
    assertEquals("DynamoDB_20120810.BatchWriteItem", targets.get(0));
    assertEquals(ItemBatches.MAX_ITEMS, targets.stream()
        .filter(t -> t.equals("DynamoDB_20120810.PutItem")).count());
    assertEquals(ItemBatches.MAX_ITEMS - 1,
        dynamoDb.scan(b -> b.tableName(table)).join().count());
  }

  /** The DynamoDB operations the proxy saw after the table was made, in order. */
  private List<String> targets() {
    return proxy.requests().stream().map(r -> r.header("X-Amz-Target"))
        .filter(t -> t != null && !t.endsWith("CreateTable") && !t.endsWith("DescribeTable"))
        .toList();
  }

  private String table() {
    String name = "batches-" + UUID.randomUUID().toString().substring(0, 8);
    dynamoDb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(a -> a.attributeName("object").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("object").keyType(KeyType.HASH))).join();
    return name;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(int value) {
    return AttributeValue.fromN(String.valueOf(value));
  }
}
