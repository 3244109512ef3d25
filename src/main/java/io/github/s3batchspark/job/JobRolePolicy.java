package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.spec.CreateJobRequest;
import io.github.s3batchspark.job.spec.JobManifestLocation;
import io.github.s3batchspark.job.spec.JobReport;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import io.github.s3batchspark.job.spec.S3ManifestOutputLocation;
import io.github.s3batchspark.manifest.ManifestFormat;
import io.github.s3batchspark.operation.ObjectOperation;
import io.github.s3batchspark.operation.ObjectScope;
import io.github.s3batchspark.operation.OperationFactory;
import io.github.s3batchspark.operation.PolicyStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM policy that a job's role ({@code RoleArn}) needs, built from the job spec alone, as
 * Amazon's "Granting permissions for Batch Operations" composes it: reading the manifest, the
 * operation's own permissions on the objects (each operation says what its requests need, see
 * {@link io.github.s3batchspark.operation.ObjectOperation#permissions}), and writing the
 * completion report. What {@code s3batch iam-policy} prints.
 *
 * <p>The objects' buckets come from the spec where it names them (a ManifestGenerator's
 * source bucket, an S3 Inventory's source bucket in its manifest's path), else from the caller
 * ({@code --objects-bucket}); a CSV manifest names them line by line and is not read here, so
 * without them the statements on the objects are on {@code arn:aws:s3:::*} and their Sids end
 * with {@code InAnyBucket}.
 */
public final class JobRolePolicy {
  /** The IAM policy language version every policy names. */
  public static final String VERSION = "2012-10-17";
  private static final Pattern OBJECT_ARN = Pattern.compile("arn:[^:]+:s3:[^:]*:[^:]*:([^/]+)/(.+)",
      Pattern.DOTALL);

  private final List<PolicyStatement> statements;

  private JobRolePolicy(List<PolicyStatement> statements) {
    Set<String> sids = new HashSet<>();
    for (PolicyStatement s : statements) {
      if (!sids.add(s.sid())) {
        throw new IllegalStateException("two statements named " + s.sid());
      }
    }
    this.statements = List.copyOf(statements);
  }

  /**
   * The policy for this job.
   *
   * @param objectBuckets the buckets of the manifest's objects, names or ARNs, when the caller
   *                      knows them; empty to take them from the spec
   * @throws JobSpecException when the operation refuses its settings, as create-job would
   */
  public static JobRolePolicy of(JobSpec spec, List<String> objectBuckets) {
    CreateJobRequest job = spec.request();
    ObjectScope objects = objectsOf(job, objectBuckets);
    List<PolicyStatement> statements = new ArrayList<>(manifestReads(job));
    statements.addAll(operationOf(job).permissions(objects));
    if (isInventory(job)) {
      statements.add(objects.onObjects("ReadObjectsForTheEtagGuardOfInventoryETags",
          "s3:GetObject", "s3:GetObjectVersion"));
    }
    statements.addAll(reportWrites(job.report()));
    return new JobRolePolicy(statements);
  }

  public List<PolicyStatement> statements() {
    return statements;
  }

  /** {@code {"Version": "2012-10-17", "Statement": [...]}}, as IAM takes it. */
  public ObjectNode document() {
    ObjectNode policy = JobJson.MAPPER.createObjectNode().put("Version", VERSION);
    ArrayNode list = policy.putArray("Statement");
    for (PolicyStatement s : statements) {
      ObjectNode statement = list.addObject().put("Sid", s.sid()).put("Effect", "Allow");
      s.actions().forEach(statement.putArray("Action")::add);
      s.resources().forEach(statement.putArray("Resource")::add);
    }
    return policy;
  }

  private static ObjectOperation operationOf(CreateJobRequest job) {
    try {
      return OperationFactory.create(job.operation());
    } catch (JobSpecException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw JobSpecException.of(e.getMessage());
    }
  }

  private static ObjectScope objectsOf(CreateJobRequest job, List<String> objectBuckets) {
    if (!objectBuckets.isEmpty()) {
      return ObjectScope.ofBuckets(objectBuckets.stream()
          .map(b -> b.startsWith("arn:") ? b : "arn:" + partitionOf(job) + ":s3:::" + b)
          .toList());
    }
    if (job.manifestGenerator() != null) {
      return ObjectScope.ofBuckets(List.of(generator(job).sourceBucket()));
    }
    String source = isInventory(job) ? inventorySourceBucket(manifestKey(job)) : null;
    return source != null
        ? ObjectScope.ofBuckets(List.of("arn:" + partitionOf(job) + ":s3:::" + source))
        : ObjectScope.anyBucket(partitionOf(job));
  }

  /**
   * An inventory's manifest is at {@code [prefix/]source-bucket/config-id/timestamp/
   * manifest.json}: Amazon's layout names the bucket it lists. Null when the key is shorter.
   */
  private static String inventorySourceBucket(Matcher manifest) {
    String[] path = manifest.group(2).split("/");
    return path.length >= 4 ? path[path.length - 4] : null;
  }

  private static List<PolicyStatement> manifestReads(CreateJobRequest job) {
    if (job.manifest() == null && job.dynamoDBManifest() != null) {
      return List.of(PolicyStatement.allow("ScanTheDynamoDbManifestTable",
          List.of(tableArn(job, job.dynamoDBManifest().tableName())), "dynamodb:DescribeTable",
          "dynamodb:Scan"));
    }
    if (job.manifest() == null) {
      return generatorPermissions(generator(job));
    }
    JobManifestLocation location = job.manifest().location();
    List<String> reads = location.objectVersionId() == null ? List.of("s3:GetObject")
        : List.of("s3:GetObject", "s3:GetObjectVersion");
    List<PolicyStatement> statements = new ArrayList<>(List.of(
        new PolicyStatement("ReadTheManifest", reads, List.of(location.objectArn()))));
    if (isInventory(job)) {
      statements.add(PolicyStatement.allow("ReadTheInventoryDataFiles",
          List.of(inventoryDataFiles(job)), "s3:GetObject"));
    }
    return statements;
  }

  /** {@code [prefix/]source/config/data/*}: where Amazon writes the files manifest.json lists. */
  private static String inventoryDataFiles(CreateJobRequest job) {
    Matcher manifest = manifestKey(job);
    String key = manifest.group(2);
    int timestamp = key.lastIndexOf('/');
    int config = timestamp < 0 ? -1 : key.lastIndexOf('/', timestamp - 1);
    String folder = config < 0 ? "" : key.substring(0, config + 1) + "data/";
    return "arn:" + partitionOf(job) + ":s3:::" + manifest.group(1) + "/" + folder + "*";
  }

  /** Listing the source bucket; writing the generated manifest when it is kept. */
  private static List<PolicyStatement> generatorPermissions(S3JobManifestGenerator generator) {
    List<PolicyStatement> statements = new ArrayList<>(List.of(PolicyStatement.allow(
        "ListTheSourceBucketForTheGeneratedManifest", List.of(generator.sourceBucket()),
        "s3:ListBucket")));
    S3ManifestOutputLocation output = generator.manifestOutputLocation();
    if (Boolean.TRUE.equals(generator.enableManifestOutput()) && output != null) {
      String prefix = output.manifestPrefix() == null ? ""
          : output.manifestPrefix().replaceAll("/+$", "") + "/";
      statements.add(PolicyStatement.allow("WriteTheGeneratedManifest",
          List.of(output.bucket() + "/" + prefix + "*"), "s3:PutObject"));
      String key = output.manifestEncryption() == null
          || output.manifestEncryption().ssekms() == null ? null
          : output.manifestEncryption().ssekms().keyId();
      if (key != null) {
        statements.add(PolicyStatement.allow("EncryptTheGeneratedManifest", List.of(key),
            "kms:GenerateDataKey"));
      }
    }
    return statements;
  }

  /**
   * The report's files (multipart uploads included, aborted on failure) under its prefix, and
   * the bucket itself, which create-job and run check with HeadBucket (authorised as
   * ListBucket); Amazon's template adds GetBucketLocation.
   */
  private static List<PolicyStatement> reportWrites(JobReport report) {
    if (report == null || !Boolean.TRUE.equals(report.enabled())) {
      return List.of();
    }
    String prefix = report.prefix() == null || report.prefix().isBlank() ? ""
        : report.prefix().replaceAll("/+$", "") + "/";
    return List.of(
        PolicyStatement.allow("WriteTheCompletionReport",
            List.of(report.bucket() + "/" + prefix + "*"), "s3:PutObject",
            "s3:AbortMultipartUpload"),
        PolicyStatement.allow("CheckTheReportBucket", List.of(report.bucket()),
            "s3:ListBucket", "s3:GetBucketLocation"));
  }

  private static boolean isInventory(CreateJobRequest job) {
    return job.manifest() != null && ManifestFormat.S3_INVENTORY_REPORT.specName()
        .equals(job.manifest().spec().format());
  }

  /** The manifest's bucket (group 1) and key (group 2), from its ARN. */
  private static Matcher manifestKey(CreateJobRequest job) {
    String arn = job.manifest().location().objectArn();
    Matcher m = OBJECT_ARN.matcher(arn == null ? "" : arn);
    if (!m.matches()) {
      throw JobSpecException.of("Manifest.Location.ObjectArn '" + arn + "' is not an S3 "
          + "object ARN: expected arn:aws:s3:::bucket/key");
    }
    return m;
  }

  /** The table's ARN as given, else the ARN of the name in the job's account, any region. */
  private static String tableArn(CreateJobRequest job, String table) {
    return table.startsWith("arn:") ? table : "arn:" + partitionOf(job) + ":dynamodb:*:"
        + (job.accountId() == null ? "*" : job.accountId()) + ":table/" + table;
  }

  private static S3JobManifestGenerator generator(CreateJobRequest job) {
    return job.manifestGenerator().s3JobManifestGenerator();
  }

  /** {@code aws}, or {@code aws-cn} / {@code aws-us-gov} as the spec's own ARNs say. */
  private static String partitionOf(CreateJobRequest job) {
    String arn = job.manifest() != null ? job.manifest().location().objectArn()
        : job.manifestGenerator() != null ? generator(job).sourceBucket()
        : job.dynamoDBManifest().tableName();
    String[] parts = arn == null ? new String[0] : arn.split(":", 3);
    return parts.length == 3 && parts[0].equals("arn") ? parts[1] : "aws";
  }
}
