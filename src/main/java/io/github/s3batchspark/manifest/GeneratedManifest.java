package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import io.github.s3batchspark.manifest.ListingOptions.Versions;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A manifest generated from a listing of the {@code S3JobManifestGenerator}'s source bucket:
 * the objects its {@code Filter} selects, in the canonical manifest schema, without task ids.
 *
 * <p>The driver splits the key space into pieces with a few listing requests
 * ({@link KeySpaceSplitter}) and never holds the bucket's keys; the executors list the pieces,
 * many at once in each Spark partition, streaming pages ({@link RangeObjects}), and take a HEAD of each object
 * that passed the listing's filter members when the filter also asks for encryption or
 * replication status ({@link FactWindow}). Nothing is listed until Spark computes the rows.
 *
 * <p>Columns: {@code bucket, key, version_id, etag, size, last_modified_date, storage_class}, then
 * {@code is_latest} for an all-versions listing, {@code encryption_status} and
 * {@code bucket_key_status} when the filter asks for an encryption, {@code replication_status}
 * when it asks for replication statuses. An ETag here is a guard, as in any manifest: an object
 * changed between the listing and its task is not touched.
 */
public final class GeneratedManifest {
  private static final String FIELD = "ManifestGenerator.S3JobManifestGenerator.";

  private GeneratedManifest() {}

  /** The generated manifest with {@link ListingOptions#defaults} for the session's cores. */
  public static Dataset<Row> load(SparkSession spark, S3JobManifestGenerator generator,
      ClientSettings settings) {
    return load(spark, generator, settings,
        ListingOptions.defaults(spark.sparkContext().defaultParallelism()));
  }

  /**
   * The objects {@code generator} selects, computed by Spark when the result is used.
   *
   * @throws ManifestException naming the field when the generator's spec is wrong, the bucket
   *     cannot be listed, or its replication configuration cannot be read
   */
  public static Dataset<Row> load(SparkSession spark, S3JobManifestGenerator generator,
      ClientSettings settings, ListingOptions options) {
    String bucket = sourceBucket(generator);
    String owner = generator.expectedBucketOwner();
    SparkContext context = spark.sparkContext();
    String previousDescription = context.getLocalProperty("spark.job.description");
    context.setJobDescription("Listing s3://" + bucket + " for a generated manifest");
    try {
      GeneratorFilter filter = filter(generator, bucket, settings);
      BucketListing listing = new BucketListing(ExecutorClients.get(settings).s3(), bucket, owner,
          options.versions(), options.pageSize());
      List<KeyRange> pieces = new KeySpaceSplitter(listing, options)
          .split(filter.prefixes().isEmpty() ? List.of("") : filter.prefixes());
      Columns columns = new Columns(options.versions() == Versions.ALL,
          !filter.encryptions().isEmpty(), !filter.replicationStatuses().isEmpty());
      JavaRDD<Row> rows = KeySpaceSplitter.partitioned(JavaSparkContext.fromSparkContext(context),
              pieces, options)
          .mapPartitions(new ListPieces(settings, bucket, owner, options, filter, columns));
      return spark.createDataFrame(rows, columns.schema());
    } finally {
      context.setJobDescription(previousDescription);
    }
  }

  /**
   * The columns the generated manifest of {@code generator} has (current versions), known before
   * anything is listed: what a {@code ManifestFilter.Where} on it may name.
   */
  public static List<String> columns(S3JobManifestGenerator generator) {
    var filter = generator == null ? null : generator.filter();
    boolean encryption = filter != null && filter.matchAnyObjectEncryption() != null
        && !filter.matchAnyObjectEncryption().isEmpty();
    boolean replication = filter != null && filter.objectReplicationStatuses() != null
        && !filter.objectReplicationStatuses().isEmpty();
    return List.of(new Columns(false, encryption, replication).schema().fieldNames());
  }

  /** The bucket's name from SourceBucket, an ARN ({@code arn:aws:s3:::name}) or a plain name. */
  static String sourceBucket(S3JobManifestGenerator generator) {
    if (generator == null || generator.sourceBucket() == null
        || generator.sourceBucket().isBlank()) {
      throw new ManifestException(FIELD + "SourceBucket is required: the ARN of the bucket to"
          + " list, for example arn:aws:s3:::my-bucket");
    }
    String source = generator.sourceBucket().trim();
    String name = source.startsWith("arn:") ? source.substring(source.lastIndexOf(':') + 1)
        : source;
    if (name.isEmpty() || name.contains("/")) {
      throw new ManifestException(FIELD + "SourceBucket '" + source + "' is not a bucket ARN:"
          + " give arn:aws:s3:::bucket-name");
    }
    return name;
  }

  private static GeneratorFilter filter(S3JobManifestGenerator generator, String bucket,
      ClientSettings settings) {
    ReplicationRules rules = null;
    if (GeneratorFilter.needsReplicationRules(generator.filter())) {
      try (S3Client s3 = ExecutorClients.syncClient(settings)) {
        rules = ReplicationRules.of(s3, bucket, generator.expectedBucketOwner());
      }
    }
    return GeneratorFilter.of(generator.filter(), rules);
  }

  /** Which columns beyond the listed ones the manifest has. */
  record Columns(boolean isLatest, boolean encryption, boolean replication)
      implements java.io.Serializable {
    StructType schema() {
      StructType schema = ManifestSchema.OBJECT_COLUMNS
          .add(ManifestSchema.SIZE, DataTypes.LongType, false)
          .add(ManifestSchema.LAST_MODIFIED_DATE, DataTypes.TimestampType, true)
          .add(ManifestSchema.STORAGE_CLASS, DataTypes.StringType, true);
      if (isLatest) {
        schema = schema.add(ManifestSchema.IS_LATEST, DataTypes.BooleanType, false);
      }
      if (encryption) {
        schema = schema.add(ManifestSchema.ENCRYPTION_STATUS, DataTypes.StringType, true)
            .add(ManifestSchema.BUCKET_KEY_STATUS, DataTypes.StringType, true);
      }
      if (replication) {
        schema = schema.add(ManifestSchema.REPLICATION_STATUS, DataTypes.StringType, true);
      }
      return schema;
    }

    Row row(String bucket, ListedObject object, ObjectFacts facts) {
      List<Object> values = new ArrayList<>(List.of(bucket, object.key()));
      values.add(object.versionId());
      values.add(object.etag());
      values.add(object.size());
      values.add(object.lastModified() == null ? null : Timestamp.from(object.lastModified()));
      values.add(object.storageClass());
      if (isLatest) {
        values.add(object.latest());
      }
      if (encryption) {
        values.add(facts.encryptionStatus());
        values.add(facts.encryptionStatus() == null ? null : facts.bucketKeyStatus());
      }
      if (replication) {
        values.add(facts.replicationStatus());
      }
      return RowFactory.create(values.toArray());
    }
  }

  /** Lists one partition's pieces on an executor. */
  private record ListPieces(ClientSettings settings, String bucket, String owner,
      ListingOptions options, GeneratorFilter filter, Columns columns)
      implements FlatMapFunction<Iterator<KeyRange>, Row> {

    @Override
    public Iterator<Row> call(Iterator<KeyRange> pieces) {
      var s3 = ExecutorClients.get(settings).s3();
      RangeObjects listed = new RangeObjects(new BucketListing(s3, bucket, owner,
          options.versions(), options.pageSize()), filter, pieces, options.rangesInFlight());
      RangeObjects.closeWithTask(listed);
      if (!filter.needsHead() && !filter.needsTags()) {
        return new MappedIterator<>(listed, o -> columns.row(bucket, o, ObjectFacts.UNKNOWN));
      }
      return new MappedIterator<>(new FactWindow(s3, bucket, owner, filter, listed,
          options.headsInFlight()), c -> columns.row(bucket, c.object(), c.facts()));
    }
  }

  private record MappedIterator<T, R>(Iterator<T> input, java.util.function.Function<T, R> map)
      implements Iterator<R> {
    @Override
    public boolean hasNext() {
      return input.hasNext();
    }

    @Override
    public R next() {
      return map.apply(input.next());
    }
  }
}
