package io.github.s3batchspark.function;

import io.github.s3batchspark.execution.TaskFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The items that the calls of one executor JVM put into one table, sent together: a call's
 * item waits (at most {@link #LINGER_MILLIS}) for others to fill a BatchWriteItem of up to 25
 * items, so that many calls at once cost one request instead of 25. Each call still learns
 * whether its own item was written: an item DynamoDB leaves unprocessed (throttled) fails its
 * task as retryable, and a batch refused as a whole (two items with the same primary key, for
 * example) is written item by item, so that each call gets its own answer.
 */
final class ItemBatches {
  /** BatchWriteItem's limit. */
  static final int MAX_ITEMS = 25;
  /** Short against a task's own requests (tens of ms), long enough for busy threads to join. */
  static final long LINGER_MILLIS = 20;

  private static final Map<List<Object>, ItemBatches> BY_TABLE = new ConcurrentHashMap<>();
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final DynamoDbAsyncClient dynamoDb;
  private final String table;
  private final long lingerMillis;
  private List<Pending> pending = new ArrayList<>();
  private ScheduledFuture<?> lingering;

  private record Pending(Map<String, AttributeValue> item, CompletableFuture<Void> written) {}

  /** @param lingerMillis how long the first item of a batch waits for others to join it */
  ItemBatches(DynamoDbAsyncClient dynamoDb, String table, long lingerMillis) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.lingerMillis = lingerMillis;
  }

  /** The batches of this table through this client, shared by every call in the JVM. */
  static ItemBatches of(DynamoDbAsyncClient dynamoDb, String table) {
    return BY_TABLE.computeIfAbsent(List.of(dynamoDb, table), // a client is equal to itself only
        k -> new ItemBatches(dynamoDb, table, LINGER_MILLIS));
  }

  /** Completes when the item is in the table; fails with the reason when it is not. */
  CompletableFuture<Void> put(Map<String, AttributeValue> item) {
    Pending p = new Pending(item, new CompletableFuture<>());
    List<Pending> full = null;
    synchronized (this) {
      pending.add(p);
      if (pending.size() >= MAX_ITEMS) {
        full = takePending();
      } else if (pending.size() == 1) {
        lingering = TIMER.schedule(this::sendWhatWaits, lingerMillis, TimeUnit.MILLISECONDS);
      }
    }
    if (full != null) {
      send(full);
    }
    return p.written();
  }

  private void sendWhatWaits() {
    List<Pending> batch;
    synchronized (this) {
      batch = pending.isEmpty() ? null : takePending();
    }
    if (batch != null) {
      send(batch);
    }
  }

  private List<Pending> takePending() {
    List<Pending> batch = pending;
    pending = new ArrayList<>();
    if (lingering != null) {
      lingering.cancel(false);
      lingering = null;
    }
    return batch;
  }

  private void send(List<Pending> batch) {
    if (batch.size() == 1) {
      putOne(batch.get(0));
      return;
    }
    List<WriteRequest> writes = batch.stream()
        .map(p -> WriteRequest.builder().putRequest(r -> r.item(p.item())).build()).toList();
    dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(table, writes)))
        .whenComplete((response, error) -> {
          if (error != null) {
            batch.forEach(this::putOne); // each call gets its own answer
          } else {
            settle(batch, response);
          }
        });
  }

  private void settle(List<Pending> batch, BatchWriteItemResponse response) {
    List<Map<String, AttributeValue>> unprocessed = response.unprocessedItems()
        .getOrDefault(table, List.of()).stream()
        .map(w -> w.putRequest().item()).toList();
    for (Pending p : batch) {
      if (unprocessed.contains(p.item())) {
        p.written().completeExceptionally(new TaskFailure("ProvisionedThroughputExceeded", 400,
            "DynamoDB left the item for table " + table + " unprocessed (throttled); retried",
            true));
      } else {
        p.written().complete(null);
      }
    }
  }

  private void putOne(Pending p) {
    dynamoDb.putItem(b -> b.tableName(table).item(p.item())).whenComplete((r, error) -> {
      if (error != null) {
        p.written().completeExceptionally(error);
      } else {
        p.written().complete(null);
      }
    });
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "s3batch-dynamodb-batches");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
