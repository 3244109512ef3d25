package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.operation.PolicyStatement;
import io.github.s3batchspark.testing.CsvJobJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The role's policy names, for every operation, the actions Amazon's "Granting permissions for
 * Batch Operations" lists for it, on the resources the job spec names; and the job's own:
 * reading the manifest (an inventory's data files too), writing the report.
 */
class JobRolePolicyTest {
  private static final String OBJECTS = "arn:aws:s3:::objects/*";

  /** An operation as the job spec gives it, and what its role must be allowed, on what. */
  private record Row(String operation, Map<String, Set<String>> actionsOnResource) {}

  private static final List<Row> TABLE = List.of(
      new Row("{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"k\", \"Value\": \"v\"}]}}",
          Map.of(OBJECTS, Set.of("s3:PutObjectTagging", "s3:PutObjectVersionTagging"))),
      new Row("{\"S3DeleteObjectTagging\": {}}",
          Map.of(OBJECTS, Set.of("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"))),
      new Row("""
          {"S3PutObjectCopy": {"TargetResource": "arn:aws:s3:::copies", "TargetKeyPrefix": "in/",
            "CannedAccessControlList": "bucket-owner-full-control",
            "SSEAwsKmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k1"}}""",
          Map.of(OBJECTS, Set.of("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"),
              "arn:aws:s3:::objects", Set.of("s3:ListBucket"),
              "arn:aws:s3:::copies/in/*", Set.of("s3:PutObject", "s3:PutObjectAcl",
                  "s3:PutObjectTagging"),
              "arn:aws:kms:us-east-1:123456789012:key/k1", Set.of("kms:Decrypt",
                  "kms:GenerateDataKey"))),
      new Row("{\"S3PutObjectAcl\": {\"AccessControlPolicy\": "
          + "{\"CannedAccessControlList\": \"public-read\"}}}",
          Map.of(OBJECTS, Set.of("s3:PutObjectAcl", "s3:PutObjectVersionAcl"))),
      new Row("""
          {"S3PutObjectRetention": {"BypassGovernanceRetention": true, "Retention":
            {"Mode": "GOVERNANCE", "RetainUntilDate": "2030-01-01T00:00:00Z"}}}""",
          Map.of(OBJECTS, Set.of("s3:PutObjectRetention", "s3:BypassGovernanceRetention"),
              "arn:aws:s3:::objects", Set.of("s3:GetBucketObjectLockConfiguration"))),
      new Row("{\"S3PutObjectLegalHold\": {\"LegalHold\": {\"Status\": \"ON\"}}}",
          Map.of(OBJECTS, Set.of("s3:PutObjectLegalHold"),
              "arn:aws:s3:::objects", Set.of("s3:GetBucketObjectLockConfiguration"))),
      new Row("{\"S3InitiateRestoreObject\": {\"ExpirationInDays\": 1, "
          + "\"GlacierJobTier\": \"BULK\"}}",
          Map.of(OBJECTS, Set.of("s3:RestoreObject"))),
      new Row("{\"S3DeleteObject\": {}}",
          Map.of(OBJECTS, Set.of("s3:DeleteObject", "s3:DeleteObjectVersion"))),
      new Row("{\"S3ComputeObjectChecksum\": {\"ChecksumAlgorithm\": \"SHA256\", "
          + "\"ChecksumType\": \"FULL_OBJECT\"}}",
          Map.of(OBJECTS, Set.of("s3:GetObject", "s3:GetObjectVersion"))),
      new Row("""
          {"S3UpdateObjectEncryption": {"ObjectEncryption": {"SSEKMS":
            {"KMSKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k2"}}}}""",
          Map.of(OBJECTS, Set.of("s3:GetObject", "s3:PutObject", "s3:PutObjectAcl",
                  "s3:GetObjectAcl", "s3:GetObjectTagging", "s3:PutObjectTagging"),
              "arn:aws:kms:us-east-1:123456789012:key/k2", Set.of("kms:Decrypt",
                  "kms:GenerateDataKey"))),
      new Row("{\"S3EmitEvent\": {\"QueueArn\": \"arn:aws:sqs:us-east-1:123456789012:q\"}}",
          Map.of(OBJECTS, Set.of("s3:GetObject"),
              "arn:aws:sqs:us-east-1:123456789012:q", Set.of("sqs:SendMessage"))),
      new Row("{\"S3ReplicateObject\": {}}",
          Map.of(OBJECTS, Set.of("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl",
                  "s3:GetObjectTagging"),
              "arn:aws:s3:::objects", Set.of("s3:GetReplicationConfiguration"),
              "arn:aws:s3:::*", Set.of("s3:PutObject"))),
      new Row("{\"LambdaInvoke\": {\"FunctionArn\": "
          + "\"arn:aws:lambda:us-east-1:123456789012:function:f\"}}",
          Map.of("arn:aws:lambda:us-east-1:123456789012:function:f",
              Set.of("lambda:InvokeFunction"))),
      new Row("{\"JavaFunction\": {\"ClassName\": \"GzipCompress\"}}",
          Map.of(OBJECTS, Set.of("s3:GetObject"))));

  @Test
  void everySupportedOperationIsInTheTable() {
    assertEquals(new TreeSet<>(SupportedOperations.NAMES), TABLE.stream()
        .map(r -> r.operation().replaceAll("(?s)^\\s*\\{\\s*\"(\\w+)\".*", "$1"))
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void policyOfEachOperationNamesItsActionsOnItsResourcesAndTheJobsOwn() {
    for (Row row : TABLE) {
      JobRolePolicy policy = JobRolePolicy.of(csvJob(row.operation()), List.of("objects"));

      row.actionsOnResource().forEach((resource, actions) -> assertTrue(
          allowed(policy, resource).containsAll(actions),
          () -> row.operation() + ": " + resource + " needs " + actions + ", policy: "
              + policy.document()));
      assertTrue(allowed(policy, "arn:aws:s3:::jobs/manifest.csv").contains("s3:GetObject"),
          row::operation);
      assertTrue(allowed(policy, "arn:aws:s3:::jobs/reports/*").contains("s3:PutObject"),
          row::operation);
      assertTrue(allowed(policy, "arn:aws:s3:::jobs").contains("s3:ListBucket"),
          row::operation);
    }
  }

  @Test
  void csvManifestWithoutNamedBucketsAllowsAnyBucketAndSaysSoInTheSid() {
    JobRolePolicy policy = JobRolePolicy.of(csvJob(TABLE.get(0).operation()), List.of());

    PolicyStatement tagging = statementWith(policy, "s3:PutObjectTagging");
    assertEquals(List.of("arn:aws:s3:::*"), tagging.resources());
    assertTrue(tagging.sid().endsWith("InAnyBucket"), tagging.sid());
  }

  @Test
  void inventoryNamesItsSourceBucketItsDataFilesAndTheEtagGuardsReads() {
    JobRolePolicy policy = JobRolePolicy.of(JobSpecParser.parse("""
        {"AccountId": "123456789012", "Priority": 1,
         "RoleArn": "arn:aws:iam::123456789012:role/batch",
         "Operation": {"S3DeleteObjectTagging": {}},
         "Manifest": {"Spec": {"Format": "S3InventoryReport_CSV_20161130"},
           "Location": {"ObjectArn":
             "arn:aws:s3:::inventories/weekly/photos/all-objects/2024-01-02T03-04Z/manifest.json",
             "ObjectVersionId": "v1", "ETag": "e"}},
         "Report": {"Enabled": false}}
        """), List.of());

    assertEquals(Set.of("s3:GetObject", "s3:GetObjectVersion"), allowed(policy,
        "arn:aws:s3:::inventories/weekly/photos/all-objects/2024-01-02T03-04Z/manifest.json"));
    assertEquals(Set.of("s3:GetObject"),
        allowed(policy, "arn:aws:s3:::inventories/weekly/photos/all-objects/data/*"));
    assertEquals(Set.of("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging",
        "s3:GetObject", "s3:GetObjectVersion"), allowed(policy, "arn:aws:s3:::photos/*"));
    assertTrue(policy.statements().stream().noneMatch(s -> s.actions().contains("s3:PutObject")),
        "no report, no report writes");
  }

  @Test
  void manifestGeneratorListsItsSourceBucketAndWritesTheManifestItKeeps() {
    JobRolePolicy policy = JobRolePolicy.of(JobSpecParser.parse("""
        {"AccountId": "123456789012", "Priority": 1,
         "RoleArn": "arn:aws:iam::123456789012:role/batch",
         "Operation": {"S3DeleteObject": {}},
         "ManifestGenerator": {"S3JobManifestGenerator": {
           "SourceBucket": "arn:aws:s3:::photos", "EnableManifestOutput": true,
           "ManifestOutputLocation": {"Bucket": "arn:aws:s3:::jobs", "ManifestPrefix": "gen",
             "ManifestFormat": "S3InventoryReport_CSV_20211130"}}},
         "Report": {"Enabled": false}}
        """), List.of());

    assertEquals(Set.of("s3:ListBucket"), allowed(policy, "arn:aws:s3:::photos"));
    assertEquals(Set.of("s3:DeleteObject", "s3:DeleteObjectVersion"),
        allowed(policy, "arn:aws:s3:::photos/*"));
    assertEquals(Set.of("s3:PutObject"), allowed(policy, "arn:aws:s3:::jobs/gen/*"));
  }

  @Test
  void dynamoDbManifestScansItsTableAndDynamoDbResultsWritesToItsOwn() {
    JobRolePolicy policy = JobRolePolicy.of(JobSpecParser.parse("""
        {"AccountId": "123456789012", "Priority": 1,
         "RoleArn": "arn:aws:iam::123456789012:role/batch",
         "Operation": {"JavaFunction": {"ClassName": "DynamoDbResults",
           "UserArguments": {"TableName": "catalog"}}},
         "DynamoDBManifest": {"TableName": "flagged", "BucketAttribute": "b",
           "KeyAttribute": "k"},
         "Report": {"Enabled": false}}
        """), List.of("photos"));

    assertEquals(Set.of("dynamodb:DescribeTable", "dynamodb:Scan"),
        allowed(policy, "arn:aws:dynamodb:*:123456789012:table/flagged"));
    assertEquals(Set.of("dynamodb:BatchWriteItem", "dynamodb:PutItem"),
        allowed(policy, "arn:aws:dynamodb:*:*:table/catalog"));
    assertEquals(Set.of("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging",
        "s3:GetObjectVersionTagging"), allowed(policy, "arn:aws:s3:::photos/*"));
  }

  /** A job over a CSV manifest at jobs/manifest.csv, reporting to jobs/reports. */
  private static JobSpec csvJob(String operation) {
    return JobSpecParser.parse(CsvJobJson.of(operation, "jobs", "etag", "reports"));
  }

  private static Set<String> allowed(JobRolePolicy policy, String resource) {
    return policy.statements().stream().filter(s -> s.resources().contains(resource))
        .flatMap(s -> s.actions().stream()).collect(Collectors.toSet());
  }

  private static PolicyStatement statementWith(JobRolePolicy policy, String action) {
    return policy.statements().stream().filter(s -> s.actions().contains(action)).findFirst()
        .orElseThrow(() -> new AssertionError(action + " in " + policy.document()));
  }
}
