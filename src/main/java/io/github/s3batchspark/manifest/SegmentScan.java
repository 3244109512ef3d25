package io.github.s3batchspark.manifest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * One segment of a DynamoDB table's parallel Scan, as manifest rows: a page is asked for only
 * when the rows of the one before have been taken, so a partition holds one page (at most 1 MB)
 * whatever the table's size. Only the bucket, key and version attributes (and the table's key,
 * for messages) are read.
 *
 * <p>The executors' clients do not retry (the task runner does, for objects); a throttled or
 * failed page is asked again here, with backoff, before the manifest is given up.
 */
final class SegmentScan extends LookAhead<Row> {
  private static final int ATTEMPTS = 8;
  private static final long FIRST_BACKOFF_MILLIS = 100;

  private final DynamoDbAsyncClient dynamoDb;
  private final DynamoDbTableManifest table;
  private final List<String> primaryKey;
  private final int segment;
  private final ScanRequest first;
  private Iterator<Map<String, AttributeValue>> page = java.util.Collections.emptyIterator();
  private Map<String, AttributeValue> nextStart;
  private boolean lastPageRead;

  SegmentScan(DynamoDbAsyncClient dynamoDb, DynamoDbTableManifest table,
      List<String> primaryKey, int segment) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.primaryKey = primaryKey;
    this.segment = segment;
    this.first = request(table, primaryKey, segment);
  }

  Stream<Row> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** The next row of the page in hand; the next page is asked for once all of its are taken. */
  @Override
  protected Row computeNext() {
    while (true) {
      while (page.hasNext()) {
        Row row = row(page.next());
        if (row != null) {
          return row;
        }
      }
      if (lastPageRead) {
        return null;
      }
      readPage();
    }
  }

  private void readPage() {
    ScanRequest request = nextStart == null ? first
        : first.toBuilder().exclusiveStartKey(nextStart).build();
    ScanResponse response = withRetries(request);
    page = response.items().iterator();
    nextStart = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
        ? response.lastEvaluatedKey() : null;
    lastPageRead = nextStart == null;
  }

  private ScanResponse withRetries(ScanRequest request) {
    long backoff = FIRST_BACKOFF_MILLIS;
    for (int attempt = 1; ; attempt++) {
      try {
        return dynamoDb.scan(request).join();
      } catch (CompletionException e) {
        boolean retryable = e.getCause() instanceof SdkException sdk && sdk.retryable();
        if (!retryable || attempt == ATTEMPTS) {
          throw new ManifestException("DynamoDB table '" + table.tableName() + "', segment "
              + segment + " of " + table.totalSegments() + ": the Scan failed"
              + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": "
              + oneLine(e.getCause()));
        }
      }
      sleep(backoff + (long) (Math.random() * backoff));
      backoff = Math.min(backoff * 2, 5_000);
    }
  }

  /** The manifest row of an item, or null for one without an object when those are skipped. */
  private Row row(Map<String, AttributeValue> item) {
    String bucket = string(item, table.bucketAttribute());
    String key = string(item, table.keyAttribute());
    AttributeValue version = table.versionIdAttribute() == null ? null
        : item.get(table.versionIdAttribute());
    // no version, a NULL or a blank string: the object's current version, as in a CSV manifest
    boolean latest = version == null || Boolean.TRUE.equals(version.nul())
        || (version.s() != null && version.s().isBlank());
    boolean versionUsable = latest || version.s() != null;
    if (bucket != null && !bucket.isEmpty() && key != null && !key.isEmpty() && versionUsable) {
      return RowFactory.create(bucket, key, latest ? null : version.s(), null);
    }
    if (table.skipItemsWithoutObject()) {
      return null;
    }
    String attribute = bucket == null || bucket.isEmpty() ? table.bucketAttribute()
        + " (BucketAttribute)" : key == null || key.isEmpty() ? table.keyAttribute()
        + " (KeyAttribute)" : table.versionIdAttribute() + " (VersionIdAttribute)";
    throw new ManifestException("DynamoDB table '" + table.tableName() + "': item "
        + keyOf(item) + " has no non-empty string attribute " + attribute + "; give every item"
        + " one, or set " + DynamoDbTableManifest.FIELD + ".ItemsWithoutObject to Skip");
  }

  private static String string(Map<String, AttributeValue> item, String attribute) {
    AttributeValue value = item.get(attribute);
    return value == null ? null : value.s();
  }

  private String keyOf(Map<String, AttributeValue> item) {
    Map<String, String> key = new LinkedHashMap<>();
    for (String name : primaryKey) {
      AttributeValue value = item.get(name);
      key.put(name, value == null ? null : value.s() != null ? value.s() : value.n() != null
          ? value.n() : value.toString());
    }
    return key.toString();
  }

  private static ScanRequest request(DynamoDbTableManifest table, List<String> primaryKey,
      int segment) {
    List<String> attributes = new ArrayList<>(primaryKey);
    for (String a : new String[] {table.bucketAttribute(), table.keyAttribute(),
        table.versionIdAttribute()}) {
      if (a != null && !attributes.contains(a)) {
        attributes.add(a);
      }
    }
    // placeholders, since attribute names may be DynamoDB reserved words (key, bucket, ...)
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; i < attributes.size(); i++) {
      names.put("#a" + i, attributes.get(i));
    }
    return ScanRequest.builder().tableName(table.tableName())
        .segment(segment).totalSegments(table.totalSegments())
        .projectionExpression(String.join(", ", names.keySet()))
        .expressionAttributeNames(names)
        .build();
  }

  static String oneLine(Throwable t) {
    String message = t == null ? "unknown error" : t.getMessage() != null ? t.getMessage()
        : t.getClass().getSimpleName();
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ManifestException("DynamoDB Scan interrupted");
    }
  }
}
