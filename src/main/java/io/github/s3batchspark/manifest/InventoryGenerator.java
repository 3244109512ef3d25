package io.github.s3batchspark.manifest;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Generates an S3 Inventory report of a bucket, for stores that have no inventory feature and
 * for a report wanted now rather than tomorrow: the bucket is listed as a generated manifest is
 * (the driver splits the key space, the executors list the pieces page by page, with a HEAD of
 * each object only when an optional field needs one), and each Spark partition writes one data
 * file. The report is laid out as Amazon lays out its own, so any inventory reader (ours,
 * Athena's symlink table) reads it:
 *
 * <pre>
 * destination-prefix/source-bucket/config-ID/data/&lt;uuid&gt;.csv.gz | .orc | .parquet
 * destination-prefix/source-bucket/config-ID/YYYY-MM-DDTHH-MMZ/manifest.json
 * destination-prefix/source-bucket/config-ID/YYYY-MM-DDTHH-MMZ/manifest.checksum
 * destination-prefix/source-bucket/config-ID/hive/dt=YYYY-MM-DD-HH-MM/symlink.txt
 * </pre>
 *
 * <p>{@link #check} asks both buckets before anything is listed or written, so that a wrong
 * bucket leaves nothing behind; manifest.json is written last, so a report whose manifest.json
 * exists is complete. A data file's name is made from the run and its partition, so a task Spark
 * retries rewrites its own file.
 */
public final class InventoryGenerator {
  private static final DateTimeFormatter FOLDER_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HIVE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm").withZone(ZoneOffset.UTC);

  /**
   * A written report.
   *
   * @param manifestKey the key of manifest.json in the destination bucket
   * @param eTag        manifest.json's ETag, without quotes (a job's Manifest.Location.ETag)
   * @param files       the data files manifest.json lists
   * @param objects     how many objects (or versions) the report lists
   */
  public record Result(String destinationBucket, String manifestKey, String eTag,
      List<InventoryManifest.DataFile> files, long objects) {

    /** {@code arn:aws:s3:::bucket/key} of manifest.json, as a job's Manifest.Location names it. */
    public String manifestArn() {
      return "arn:aws:s3:::" + destinationBucket + "/" + manifestKey;
    }
  }

  /** One data file written by an executor. */
  private record Written(InventoryManifest.DataFile file, long rows) implements Serializable {}

  private final SparkSession spark;
  private final ClientSettings settings;
  private final InventoryConfiguration configuration;
  private ListingOptions options;

  public InventoryGenerator(SparkSession spark, ClientSettings settings,
      InventoryConfiguration configuration) {
    this.spark = spark;
    this.settings = settings;
    this.configuration = configuration;
    this.options = ListingOptions.defaults(spark.sparkContext().defaultParallelism())
        .withVersions(configuration.versions());
  }

  /** Lists with these options (page size, pieces); the versions stay the configuration's. */
  public InventoryGenerator listingOptions(ListingOptions listing) {
    this.options = listing.withVersions(configuration.versions());
    return this;
  }

  /**
   * Refuses a source bucket that cannot be found or listed and a destination bucket that cannot
   * be found, before anything is written.
   *
   * @throws ManifestException naming the option, the bucket and what S3 answered
   */
  public InventoryGenerator check() {
    try (S3Client s3 = ExecutorClients.syncClient(settings)) {
      exists(s3, configuration.sourceBucket(), "--bucket");
      exists(s3, configuration.destinationBucket(), "--destination-bucket");
    }
    return this;
  }

  /** Lists the bucket and writes the report; the Spark UI names what runs. */
  public Result execute() {
    SparkContext context = spark.sparkContext();
    String previous = context.getLocalProperty("spark.job.description");
    context.setJobDescription("Generating an S3 Inventory of s3://"
        + configuration.sourceBucket() + "/" + configuration.prefix());
    try {
      return doExecute(Instant.now());
    } finally {
      context.setJobDescription(previous);
    }
  }

  private Result doExecute(Instant start) {
    List<KeyRange> pieces = new KeySpaceSplitter(listing(ExecutorClients.get(settings).s3()),
        options).split(List.of(configuration.prefix()));
    // the executors get this value, not the generator (which holds the SparkSession)
    WritePieces writer = new WritePieces(settings, configuration, options,
        UUID.randomUUID().toString());
    List<Written> written = new ArrayList<>(KeySpaceSplitter.partitioned(
            JavaSparkContext.fromSparkContext(spark.sparkContext()), pieces, options)
        .mapPartitionsWithIndex(writer::call, false)
        .collect());
    if (written.isEmpty()) { // an empty bucket: one empty file, so that the report has one
      written.add(writer.write(0, Collections.emptyIterator(), true));
    }
    List<InventoryManifest.DataFile> files = written.stream().map(Written::file).toList();
    String folder = configuration.base() + FOLDER_TIME.format(start) + "/";
    put(configuration.base() + "hive/dt=" + HIVE_TIME.format(start) + "/symlink.txt",
        files.stream().map(f -> "s3://" + configuration.destinationBucket() + "/" + f.key())
            .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8));
    byte[] json = InventoryManifest.json(configuration.sourceBucket(),
        configuration.destinationBucket(), "2016-11-30", start.toEpochMilli(),
        configuration.fileFormatName(), configuration.fileSchema(), files);
    put(folder + "manifest.checksum", md5(json).getBytes(StandardCharsets.US_ASCII));
    PutObjectResponse manifest = put(folder + "manifest.json", json);
    return new Result(configuration.destinationBucket(), folder + "manifest.json",
        manifest.eTag().replace("\"", ""), files,
        written.stream().mapToLong(Written::rows).sum());
  }

  private BucketListing listing(S3AsyncClient s3) {
    return new BucketListing(s3, configuration.sourceBucket(), null, options.versions(),
        options.pageSize(), configuration.needsOwner());
  }

  /** Lists one partition's pieces on an executor and writes them as one data file. */
  private record WritePieces(ClientSettings settings, InventoryConfiguration configuration,
      ListingOptions options, String run) implements Serializable {

    Iterator<Written> call(int partition, Iterator<KeyRange> pieces) {
      S3AsyncClient s3 = ExecutorClients.get(settings).s3();
      GeneratorFilter prefix = new GeneratorFilter(null, null, configuration.prefix().isEmpty()
          ? List.of() : List.of(configuration.prefix()), List.of(), List.of(), null, null,
          List.of(), List.of(), List.of(), null);
      RangeObjects listed = new RangeObjects(new BucketListing(s3,
          configuration.sourceBucket(), null, options.versions(), options.pageSize(),
          configuration.needsOwner()), prefix, pieces, options.rangesInFlight());
      RangeObjects.closeWithTask(listed);
      Iterator<FactWindow.Checked> objects = configuration.needsHead()
          ? new FactWindow(s3, configuration.sourceBucket(), null, prefix, listed,
              options.headsInFlight(), true)
          : new Unchecked(listed);
      Written file = write(partition, objects, false);
      return file == null ? Collections.emptyIterator() : List.of(file).iterator();
    }

    /** The partition's data file, or null when it has no rows and {@code evenEmpty} is false. */
    Written write(int partition, Iterator<FactWindow.Checked> objects, boolean evenEmpty) {
      List<InventoryField> columns = configuration.columns();
      try (InventoryDataFile file = new InventoryDataFile(configuration)) {
        while (objects.hasNext()) {
          FactWindow.Checked object = objects.next();
          Object[] values = new Object[columns.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).value(configuration.sourceBucket(), object.object(),
                object.facts());
          }
          file.add(values);
        }
        if (file.rows() == 0 && !evenEmpty) {
          return null;
        }
        InventoryDataFile.Finished finished = file.finish();
        String key = configuration.base() + "data/" + UUID.nameUUIDFromBytes((run + "/"
            + partition).getBytes(StandardCharsets.UTF_8)) + configuration.extension();
        try (S3Client s3 = ExecutorClients.syncClient(settings)) {
          s3.putObject(b -> b.bucket(configuration.destinationBucket()).key(key),
              RequestBody.fromFile(finished.path()));
        } catch (RuntimeException e) {
          throw writeFailed(configuration, key, e);
        }
        return new Written(new InventoryManifest.DataFile(key, finished.size(), finished.md5()),
            file.rows());
      }
    }
  }

  /** Listed objects with nothing more learnt of them. */
  private record Unchecked(Iterator<ListedObject> listed)
      implements Iterator<FactWindow.Checked> {
    @Override
    public boolean hasNext() {
      return listed.hasNext();
    }

    @Override
    public FactWindow.Checked next() {
      return new FactWindow.Checked(listed.next(), ObjectFacts.UNKNOWN);
    }
  }

  private PutObjectResponse put(String key, byte[] bytes) {
    try (S3Client s3 = ExecutorClients.syncClient(settings)) {
      return s3.putObject(b -> b.bucket(configuration.destinationBucket()).key(key),
          RequestBody.fromBytes(bytes));
    } catch (RuntimeException e) {
      throw writeFailed(configuration, key, e);
    }
  }

  private static ManifestException writeFailed(InventoryConfiguration configuration, String key,
      RuntimeException e) {
    return new ManifestException("Writing the inventory to s3://"
        + configuration.destinationBucket() + "/" + key + " failed (" + e.getMessage()
        + "); check that you may write to --destination-bucket (s3:PutObject)", e);
  }

  private static void exists(S3Client s3, String bucket, String option) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (S3Exception e) {
      String why = e.statusCode() == 404 ? "no such bucket"
          : e.statusCode() == 403 ? "access denied (s3:ListBucket)"
          : "HeadBucket answered HTTP " + e.statusCode();
      throw new ManifestException(option + " " + bucket + ": " + why
          + "; give a bucket that exists and that you may list", e);
    }
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JVM", e);
    }
  }
}
