package io.github.s3batchspark.function;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Writes what S3 says of each object as one item of a DynamoDB table, so that a job's objects
 * can be queried, joined and kept beside the job's report: bucket, key, version, size, ETag,
 * last-modified time, tags, the stored checksum when asked, and the job's id.
 *
 * <p>User arguments: {@code TableName} (required; a name or ARN), {@code Tags} ({@code true} by
 * default; {@code false} saves a GetObjectTagging per object) and {@code Checksum}
 * ({@code false} by default; {@code true} asks S3 for the checksum stored with the object).
 *
 * <p>An item's attributes: {@code object} ({@code s3://bucket/key}, with {@code ?versionId=...}
 * when the object has a version: one item per version), {@code bucket}, {@code key},
 * {@code version_id} (when S3 gives one), {@code size} (number), {@code etag} (without quotes),
 * {@code last_modified} (ISO-8601), {@code tags} (a map, empty when the object has none),
 * {@code checksum_crc32}, {@code checksum_crc32c}, {@code checksum_crc64nvme},
 * {@code checksum_sha1} or {@code checksum_sha256} (whichever S3 stored, when asked), and
 * {@code job_id}. Key the table on {@code object}, or on {@code bucket} and {@code key} when
 * the job never names versions; an item with the same key is replaced.
 *
 * <p>The object's own ETag guards the read as in any operation; the items of calls running at
 * once are written together ({@link ItemBatches}), so give the job's {@code Threads} a few
 * dozen for batches to fill.
 */
public final class DynamoDbResults implements ObjectFunction {

  /**
   * Refuses user arguments this function cannot work with, on the driver before any task.
   *
   * @throws IllegalArgumentException naming the argument and what to give
   */
  public static void checkArguments(Map<String, String> userArguments) {
    String table = userArguments == null ? null : userArguments.get("TableName");
    if (table == null || table.isBlank()) {
      throw new IllegalArgumentException(MISSING_TABLE);
    }
    for (String flag : new String[] {"Tags", "Checksum"}) {
      String value = userArguments.get(flag);
      if (value != null && !value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException("Operation.JavaFunction.UserArguments." + flag
            + ": must be \"true\" or \"false\", got \"" + value + "\"");
      }
    }
  }

  private static final String MISSING_TABLE = "Operation.JavaFunction.UserArguments.TableName:"
      + " required by DynamoDbResults: the DynamoDB table that receives one item per object";

  @Override
  public FunctionResult apply(FunctionInput input) {
    String table = input.argument("TableName", "");
    if (table.isBlank()) {
      return FunctionResult.permanentFailure(MISSING_TABLE);
    }
    boolean checksum = Boolean.parseBoolean(input.argument("Checksum", "false"));
    boolean tags = Boolean.parseBoolean(input.argument("Tags", "true"));
    HeadObjectResponse head = FunctionInput.await(input.s3().headObject(b -> b
        .bucket(input.bucket()).key(input.key()).versionId(input.task().versionId())
        .ifMatch(input.task().quotedEtag())
        .checksumMode(checksum ? ChecksumMode.ENABLED : null)));
    Map<String, AttributeValue> item = item(input, head, checksum);
    if (tags) {
      item.put("tags", AttributeValue.fromM(tagsOf(input, head.versionId())));
    }
    FunctionInput.await(ItemBatches.of(input.dynamoDb(), table).put(item));
    return FunctionResult.succeeded("Item " + item.get("object").s() + " written to " + table);
  }

  private static Map<String, AttributeValue> item(FunctionInput input, HeadObjectResponse head,
      boolean checksum) {
    String version = head.versionId() != null ? head.versionId() : input.task().versionId();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("object", s("s3://" + input.bucket() + "/" + input.key()
        + (version == null ? "" : "?versionId=" + version)));
    item.put("bucket", s(input.bucket()));
    item.put("key", s(input.key()));
    if (version != null) {
      item.put("version_id", s(version));
    }
    item.put("size", AttributeValue.fromN(String.valueOf(head.contentLength())));
    item.put("etag", s(head.eTag() == null ? "" : head.eTag().replace("\"", "")));
    if (head.lastModified() != null) {
      item.put("last_modified", s(head.lastModified().toString()));
    }
    if (checksum) {
      putIfSet(item, "checksum_crc32", head, HeadObjectResponse::checksumCRC32);
      putIfSet(item, "checksum_crc32c", head, HeadObjectResponse::checksumCRC32C);
      putIfSet(item, "checksum_crc64nvme", head, HeadObjectResponse::checksumCRC64NVME);
      putIfSet(item, "checksum_sha1", head, HeadObjectResponse::checksumSHA1);
      putIfSet(item, "checksum_sha256", head, HeadObjectResponse::checksumSHA256);
    }
    if (input.jobId() != null) {
      item.put("job_id", s(input.jobId()));
    }
    return item;
  }

  private static Map<String, AttributeValue> tagsOf(FunctionInput input, String versionId) {
    Map<String, AttributeValue> tags = new HashMap<>();
    for (Tag tag : FunctionInput.await(input.s3().getObjectTagging(b -> b
        .bucket(input.bucket()).key(input.key()).versionId(versionId))).tagSet()) {
      tags.put(tag.key(), s(tag.value()));
    }
    return tags;
  }

  private static void putIfSet(Map<String, AttributeValue> item, String name,
      HeadObjectResponse head, Function<HeadObjectResponse, String> value) {
    String v = value.apply(head);
    if (v != null && !v.isEmpty()) {
      item.put(name, s(v));
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
