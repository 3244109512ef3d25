package io.github.s3batchspark.manifest;

import io.github.s3batchspark.job.spec.DynamoDBManifest;
import java.io.Serializable;

/**
 * A DynamoDB table as a job's manifest (our extension {@code DynamoDBManifest}): one object per
 * item, its bucket, key and version read from the attributes the job names.
 *
 * @param tableName          the table's name or ARN
 * @param bucketAttribute    the string attribute holding the object's bucket
 * @param keyAttribute       the string attribute holding the object's key, exactly as stored
 * @param versionIdAttribute the string attribute holding the version id, or null when the table
 *                           names current objects only; an item without it, or with it NULL or
 *                           a blank string, means the object's current version
 * @param totalSegments      how many parallel Scan segments (one Spark partition each)
 * @param skipItemsWithoutObject true to leave out items that lack the bucket or key attribute
 *                           (or hold another type than a string there); false to refuse the
 *                           manifest at the first such item
 */
public record DynamoDbTableManifest(String tableName, String bucketAttribute,
    String keyAttribute, String versionIdAttribute, int totalSegments,
    boolean skipItemsWithoutObject) implements Serializable {

  /** Segments when the job does not say: enough for a few executors, few enough for small tables. */
  public static final int DEFAULT_TOTAL_SEGMENTS = 8;
  static final String FIELD = "DynamoDBManifest";

  public DynamoDbTableManifest {
    if (tableName == null || tableName.isBlank()) {
      throw new ManifestException(FIELD + ".TableName is required: the table whose items"
          + " name the job's objects");
    }
    if (bucketAttribute == null || bucketAttribute.isBlank() || keyAttribute == null
        || keyAttribute.isBlank()) {
      throw new ManifestException(FIELD + ".BucketAttribute and " + FIELD + ".KeyAttribute"
          + " are required: the names of the items' string attributes that hold each object's"
          + " bucket and key");
    }
    if (totalSegments < 1) {
      throw new ManifestException(FIELD + ".TotalSegments must be at least 1, got "
          + totalSegments);
    }
    versionIdAttribute = versionIdAttribute == null || versionIdAttribute.isBlank() ? null
        : versionIdAttribute;
  }

  /** The job spec's {@code DynamoDBManifest}, with the defaults filled in. */
  public static DynamoDbTableManifest fromSpec(DynamoDBManifest spec) {
    return new DynamoDbTableManifest(spec.tableName(), spec.bucketAttribute(),
        spec.keyAttribute(), spec.versionIdAttribute(),
        spec.totalSegments() == null ? DEFAULT_TOTAL_SEGMENTS : spec.totalSegments(),
        "Skip".equals(spec.itemsWithoutObject()));
  }
}
