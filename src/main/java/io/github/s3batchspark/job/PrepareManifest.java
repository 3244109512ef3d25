package io.github.s3batchspark.job;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.spec.CreateJobRequest;
import io.github.s3batchspark.job.spec.JobManifest;
import io.github.s3batchspark.manifest.ManifestField;
import io.github.s3batchspark.manifest.ManifestFormat;
import io.github.s3batchspark.manifest.ManifestLoader;
import io.github.s3batchspark.manifest.ManifestLocation;
import io.github.s3batchspark.manifest.ManifestRequest;
import io.github.s3batchspark.manifest.ManifestSource;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of a job: its manifest read from its {@link ManifestSource}, checked,
 * filtered, numbered with task ids and kept as Parquet in the job directory, so that task ids
 * never change. A later run of the job reads that copy back instead of the source; a prepare
 * that fails or is killed leaves no manifest behind ({@link PreparedManifest}).
 */
public final class PrepareManifest {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareManifest.class);
  /**
   * Rows per file of the numbered manifest. A file is read by one task of the shuffle that
   * spreads the keys, which sorts its rows in memory, so whatever the manifest's length (and the
   * CSV split or inventory file a partition came from), that task sorts at most this many.
   */
  static final long MANIFEST_ROWS_PER_FILE = 250_000;

  /**
   * @param location  the numbered manifest, Parquet in the canonical schema with {@code task_id}
   * @param taskCount its rows: the job's tasks
   */
  public record Result(String location, long taskCount) {}

  private final SparkSession spark;
  private final ClientSettings clients;
  private ManifestSource source;
  private String where;
  private JobDirectory directory;

  /** @param clients the settings of the S3 clients that read the source, as the job's role */
  public PrepareManifest(SparkSession spark, ClientSettings clients) {
    this.spark = spark;
    this.clients = clients;
  }

  /** The manifest the job spec names, with its {@code ManifestFilter.Where}. */
  public PrepareManifest source(ManifestRequest request) {
    return source(ManifestSource.of(request), request.where());
  }

  /** Any source, with a filter over its columns ({@code where} null keeps every row). */
  public PrepareManifest source(ManifestSource source, String where) {
    this.source = source;
    this.where = where;
    return this;
  }

  public PrepareManifest into(JobDirectory directory) {
    this.directory = directory;
    return this;
  }

  /**
   * @throws io.github.s3batchspark.manifest.ManifestException (possibly inside Spark's
   *     exception) when the source cannot be trusted or read
   */
  public Result execute() {
    Objects.requireNonNull(source, "Cannot prepare a manifest: no source given");
    Objects.requireNonNull(directory, "Cannot prepare a manifest: no job directory given");
    String previous = spark.sparkContext().getLocalProperty("spark.job.description");
    spark.sparkContext().setJobDescription("Preparing the manifest from "
        + source.description());
    try {
      return doExecute();
    } finally {
      spark.sparkContext().setJobDescription(previous);
    }
  }

  private Result doExecute() {
    String location = directory.manifest();
    long tasks = PreparedManifest.readOrBuild(spark, new Path(location), this::writeNumbered)
        .count();
    LOG.info("Manifest of {} tasks prepared in {}", tasks, location);
    return new Result(location, tasks);
  }

  /**
   * The source's rows, filtered and numbered, written to {@code path}; a source that may read
   * differently twice is read once into {@link JobDirectory#sourceRows()} first, deleted after.
   */
  private void writeNumbered(String path) {
    String readInto = directory.sourceRows();
    try {
      ManifestLoader.loadWithTaskIds(spark, source, where, clients, readInto)
          .write().option("maxRecordsPerFile", MANIFEST_ROWS_PER_FILE).mode("overwrite")
          .parquet(path);
    } finally {
      if (!source.repeatable()) {
        deleteSourceRows(readInto);
      }
    }
  }

  private void deleteSourceRows(String readInto) {
    try {
      Path rows = new Path(readInto);
      rows.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(rows, true);
    } catch (IOException e) { // a leftover costs space, not correctness: the next one overwrites
      LOG.warn("Could not delete {}, the source's rows as read: {}", readInto, e.getMessage());
    }
  }

  /**
   * What a job spec says of its manifest.
   *
   * @throws IllegalArgumentException for a generated manifest, which this build cannot read
   */
  static ManifestRequest manifestRequest(CreateJobRequest request) {
    JobManifest m = request.manifest();
    if (m == null) {
      throw new IllegalArgumentException(
          "Manifest: required (or ManifestGenerator, or DynamoDBManifest), got none");
    }
    ManifestLocation location = ManifestLocation.fromObjectArn(m.location().objectArn(),
        m.location().objectVersionId(), m.location().eTag());
    List<ManifestField> fields = m.spec().fields() == null ? null
        : m.spec().fields().stream().map(ManifestField::fromSpec).toList();
    String where = request.manifestFilter() == null ? null : request.manifestFilter().where();
    return new ManifestRequest(ManifestFormat.fromSpec(m.spec().format()), location, fields,
        where);
  }
}
