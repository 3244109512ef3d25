package io.github.s3batchspark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.manifest.InventoryConfiguration;
import io.github.s3batchspark.manifest.InventoryGenerator;
import io.github.s3batchspark.manifest.ManifestException;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.kohsuke.args4j.Option;

/**
 * {@code generate-inventory --bucket SRC --destination-bucket DST [options]}: writes an S3
 * Inventory report of a bucket now, in Amazon's layout, and prints where its manifest.json is
 * together with the {@code Manifest} a create-job can name it by. Requests are signed with your
 * own credentials (there is no job role).
 */
public final class GenerateInventoryCommand extends AwsVerb {

  @Option(name = "--bucket", metaVar = "BUCKET", required = true,
      usage = "the bucket to list (name or ARN)")
  String bucket;

  @Option(name = "--prefix", metaVar = "PREFIX", usage = "only keys that start with PREFIX")
  String prefix;

  @Option(name = "--included-object-versions", metaVar = "Current|All",
      usage = "Current (default): the current version of each key; All: every version")
  String versions;

  @Option(name = "--optional-fields", metaVar = "FIELD,...",
      usage = "InventoryConfiguration OptionalFields, comma-separated: Size, LastModifiedDate, "
          + "StorageClass, ETag, IsMultipartUploaded, ChecksumAlgorithm, ObjectOwner (from the "
          + "listing); ReplicationStatus, EncryptionStatus, BucketKeyStatus, ObjectLockMode, "
          + "ObjectLockRetainUntilDate, ObjectLockLegalHoldStatus (a HEAD per object)")
  String optionalFields;

  @Option(name = "--format", metaVar = "CSV|ORC|Parquet", usage = "data file format (default CSV)")
  String format;

  @Option(name = "--destination-bucket", metaVar = "BUCKET", required = true,
      usage = "where the report is written (name or ARN)")
  String destinationBucket;

  @Option(name = "--destination-prefix", metaVar = "PREFIX",
      usage = "key prefix of the report in the destination bucket")
  String destinationPrefix;

  @Option(name = "--id", metaVar = "ID",
      usage = "the inventory configuration's Id, a folder of the layout (default s3batch-inventory)")
  String id;

  @Override
  public int run(PrintStream out, PrintStream err) {
    ClientSettings settings = clientSettings(ClientSettings.defaults().withCallerCredentials());
    InventoryGenerator generator;
    try {
      InventoryConfiguration configuration = InventoryConfiguration.of(bucket, prefix, versions,
          optionalFields, format, destinationBucket, destinationPrefix, id);
      generator = new InventoryGenerator(SparkSessions.forJobs(false), settings, configuration)
          .check();
    } catch (ManifestException e) { // the command line names a field, bucket or value wrongly
      throw new UsageException(e.getMessage());
    }
    InventoryGenerator.Result result = generator.execute();
    out.println(Json.write(output(result)));
    return 0;
  }

  /** Where the report is, and the Manifest a job names it by. */
  private static ObjectNode output(InventoryGenerator.Result result) {
    ObjectNode manifest = Json.object(
        "Spec", Json.object("Format", "S3InventoryReport_CSV_20161130"),
        "Location", Json.object("ObjectArn", result.manifestArn(), "ETag", result.eTag()));
    ObjectNode output = Json.object("ManifestLocation",
        "s3://" + result.destinationBucket() + "/" + result.manifestKey(),
        "DataFiles", result.files().size(), "Objects", result.objects());
    output.set("Manifest", manifest);
    return output;
  }
}
