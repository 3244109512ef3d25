package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSpecValidationTest {

  private static List<String> problemsOf(String json) {
    return assertThrows(JobSpecException.class, () -> JobSpecParser.parse(json)).problems();
  }

  private static ArrayNode tagSet(ObjectNode job) {
    return (ArrayNode) job.at("/Operation/S3PutObjectTagging/TagSet");
  }

  @Test
  void missingNestedFieldIsNamedWithItsListIndex() {
    String json = JobFixtures.taggingWith(job -> {
      tagSet(job).addObject().put("Key", "a").put("Value", "1");
      tagSet(job).addObject().put("Value", "no key");
    });

    assertEquals(List.of("Operation.S3PutObjectTagging.TagSet[3].Key: required"),
        problemsOf(json));
  }

  @Test
  void wrongTypeForPriorityNamesTheRangeAndTheValue() {
    String json = JobFixtures.taggingWith(job -> job.put("Priority", "high"));

    assertEquals(List.of("Priority: must be an integer between 0 and 2147483647, got \"high\""),
        problemsOf(json));
  }

  @Test
  void numbersOutsideTheirRangeOrWithFractionsAreRefused() {
    assertEquals(List.of("Priority: must be an integer between 0 and 2147483647, got -1"),
        problemsOf(JobFixtures.taggingWith(job -> job.put("Priority", -1))));
    assertEquals(List.of("Priority: must be an integer between 0 and 2147483647, got 2.5"),
        problemsOf(JobFixtures.taggingWith(job -> job.put("Priority", 2.5))));
    assertEquals(
        List.of("Priority: must be an integer between 0 and 2147483647, got 2147483648"),
        problemsOf(JobFixtures.taggingWith(job -> job.put("Priority", 2147483648L))));
  }

  @Test
  void wrongEnumListsTheAllowedValues() {
    String json = JobFixtures.text("copy-every-field.json").replace("\"STANDARD_IA\"", "\"FAST\"");

    assertEquals(List.of("Operation.S3PutObjectCopy.StorageClass: must be one of STANDARD,"
        + " STANDARD_IA, ONEZONE_IA, GLACIER, INTELLIGENT_TIERING, DEEP_ARCHIVE, GLACIER_IR,"
        + " got \"FAST\""), problemsOf(json));
  }

  @Test
  void unknownFieldsAreRefusedAtAnyDepth() {
    String json = JobFixtures.taggingWith(job -> {
      job.put("Foo", 1);
      ((ObjectNode) job.get("Report")).put("Bukket", "x");
    });

    assertEquals(List.of("Report.Bukket: unknown field", "Foo: unknown field"),
        problemsOf(json));
  }

  @Test
  void everyOperationOfTheApiShapeIsSupported() {
    // An operation that a newer botocore adds is refused as "not supported yet" until it has a
    // class; today every member of the shape has one.
    var operations = JobSpecValidator.createJob().shape().get("members").get("Operation")
        .get("members");
    operations.fieldNames().forEachRemaining(name ->
        assertTrue(SupportedOperations.isSupported(name), name + " is not supported"));
    assertEquals(operations.size(), SupportedOperations.NAMES.size());
  }

  @Test
  void lambdaInvokeWithUserArgumentsNeedsSchema2AndAFunction() {
    String json = JobFixtures.taggingWith(job -> job.putObject("Operation")
        .putObject("LambdaInvoke").put("InvocationSchemaVersion", "1.0")
        .putObject("UserArguments").put("preset", "720p"));

    assertEquals(List.of("Operation.LambdaInvoke.FunctionArn: required (the function to invoke "
        + "for every object)", "Operation.LambdaInvoke.UserArguments: needs "
        + "InvocationSchemaVersion 2.0"), problemsOf(json));
  }

  @Test
  void twoOperationsAreRefused() {
    String json = JobFixtures.taggingWith(job -> ((ObjectNode) job.get("Operation"))
        .putObject("S3DeleteObjectTagging"));

    assertEquals(List.of("Operation: must have exactly one operation, got 2: S3PutObjectTagging,"
        + " S3DeleteObjectTagging (this build runs " + SupportedOperations.describe() + ")"),
        problemsOf(json));
  }

  @Test
  void noOperationIsRefused() {
    String json = JobFixtures.taggingWith(job -> job.putObject("Operation"));

    assertEquals(List.of("Operation: must have exactly one operation, got none (this build runs "
        + SupportedOperations.describe() + ")"), problemsOf(json));
  }

  @Test
  void jobWithoutManifestOrGeneratorIsRefused() {
    String json = JobFixtures.taggingWith(job -> job.remove("Manifest"));

    assertEquals(List.of("Manifest: required (or ManifestGenerator, or DynamoDBManifest), got"
        + " none"), problemsOf(json));
  }

  @Test
  void jobWithBothManifestAndGeneratorIsRefused() {
    ObjectNode generator = JobFixtures.tree("tagging-manifest-generator.json");
    String json = JobFixtures.taggingWith(job -> job.set("ManifestGenerator",
        generator.get("ManifestGenerator")));

    assertEquals(List.of("ManifestGenerator: must not be given together with Manifest; a job"
        + " reads exactly one of Manifest, ManifestGenerator and DynamoDBManifest"),
        problemsOf(json));
  }

  @Test
  void jobWithBothManifestAndDynamoDbTableIsRefused() {
    String json = JobFixtures.taggingWith(job -> job.putObject("DynamoDBManifest")
        .put("TableName", "objects").put("BucketAttribute", "b").put("KeyAttribute", "k"));

    assertEquals(List.of("DynamoDBManifest: must not be given together with Manifest; a job"
        + " reads exactly one of Manifest, ManifestGenerator and DynamoDBManifest"),
        problemsOf(json));
  }

  @Test
  void dynamoDbManifestWithoutKeyAttributeOrWithUnknownMissingRuleIsRefused() {
    String json = JobFixtures.taggingWith(job -> {
      job.remove("Manifest");
      job.putObject("DynamoDBManifest").put("TableName", "objects").put("BucketAttribute", "b")
          .put("ItemsWithoutObject", "Ignore");
    });

    List<String> problems = problemsOf(json);
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("DynamoDBManifest.KeyAttribute")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(
        "DynamoDBManifest.ItemsWithoutObject") && p.contains("Ignore")), problems.toString());
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    String json = "{\n  \"AccountId\": \"123456789012\",\n    \"Priority\" 10\n}";

    List<String> problems = problemsOf(json);

    assertEquals(1, problems.size());
    // Jackson counts the column just past the offending character ('1' of 10 is column 16)
    assertTrue(problems.get(0).startsWith("job JSON is malformed at line 3 column 17: "),
        problems.get(0));
  }

  @Test
  void duplicateKeysAndTrailingTextAreMalformed() {
    assertTrue(problemsOf("{\"Priority\": 1, \"Priority\": 2}").get(0)
        .contains("Duplicate field 'Priority'"));
    assertTrue(problemsOf(JobFixtures.text("put-tagging-csv.json") + " {}").get(0)
        .startsWith("job JSON is malformed at line"));
  }

  @Test
  void emptyInputAndNonObjectsAreRefused() {
    assertEquals(List.of("job JSON is empty: give the CreateJob JSON, or file://path"),
        problemsOf("  "));
    assertEquals(List.of("job JSON must be an object {...}, got a list"), problemsOf("[1]"));
  }

  @Test
  void everyProblemIsCollectedNotJustTheFirst() {
    String json = JobFixtures.taggingWith(job -> {
      job.remove("RoleArn");
      job.put("AccountId", "12345");
      job.put("ConfirmationRequired", "yes");
      ((ObjectNode) job.get("Report")).put("Format", "JSON");
      tagSet(job).addObject().put("Key", "").put("Value", "x");
    });

    assertEquals(List.of(
        "AccountId: must match the pattern ^\\d{12}$, got \"12345\"",
        "ConfirmationRequired: must be true or false, got \"yes\"",
        "Operation.S3PutObjectTagging.TagSet[2].Key: must be 1 to 128 characters long,"
            + " got 0 characters",
        "Report.Format: must be one of Report_CSV_20180820, got \"JSON\"",
        "RoleArn: required"), problemsOf(json));
  }

  @Test
  void exceptionMessageListsOneProblemPerLine() {
    String json = JobFixtures.taggingWith(job -> {
      job.remove("RoleArn");
      job.remove("AccountId");
    });

    JobSpecException e = assertThrows(JobSpecException.class, () -> JobSpecParser.parse(json));

    assertEquals("AccountId: required\nRoleArn: required", e.getMessage());
  }

  @Test
  void enabledReportNeedsBucketAndFormat() {
    String json = JobFixtures.taggingWith(job -> job.putObject("Report").put("Enabled", true));

    assertEquals(List.of("Report.Bucket: required when Report.Enabled is true",
        "Report.Format: required when Report.Enabled is true"), problemsOf(json));
  }

  @Test
  void csvManifestFieldsMustNameBucketAndKey() {
    String withoutKey = JobFixtures.taggingWith(job -> ((ObjectNode) job.at("/Manifest/Spec"))
        .putArray("Fields").add("Bucket").add("Ignore"));
    String withoutFields = JobFixtures.taggingWith(job -> ((ObjectNode) job.at("/Manifest/Spec"))
        .remove("Fields"));

    assertEquals(List.of("Manifest.Spec.Fields: must contain Bucket and Key, got"
        + " [\"Bucket\",\"Ignore\"]"), problemsOf(withoutKey));
    assertEquals(List.of("Manifest.Spec.Fields: required for S3BatchOperations_CSV_20180820"
        + " manifests, for example [\"Bucket\", \"Key\"]"), problemsOf(withoutFields));
  }

  @Test
  void manifestGeneratorFiltersAreValidated() {
    ObjectNode job = JobFixtures.tree("tagging-manifest-generator.json");
    ObjectNode filter = (ObjectNode) job.at("/ManifestGenerator/S3JobManifestGenerator/Filter");
    filter.put("CreatedBefore", "soon");
    filter.putArray("MatchAnyStorageClass").add("COLD");
    filter.putArray("MatchAnyObjectEncryption").addObject().putObject("SSES3");
    ((ArrayNode) filter.get("MatchAnyObjectEncryption")).addObject().putObject("SSEC");
    ((ObjectNode) job.get("ManifestGenerator")).putObject("Other");

    assertEquals(List.of(
        "ManifestGenerator.S3JobManifestGenerator.Filter.CreatedBefore: must be a timestamp,"
            + " ISO-8601 (2024-01-31T12:00:00Z) or epoch seconds, got \"soon\"",
        "ManifestGenerator.S3JobManifestGenerator.Filter.MatchAnyStorageClass[0]: must be one of"
            + " STANDARD, STANDARD_IA, ONEZONE_IA, GLACIER, INTELLIGENT_TIERING, DEEP_ARCHIVE,"
            + " GLACIER_IR, got \"COLD\"",
        "ManifestGenerator.S3JobManifestGenerator.Filter.MatchAnyObjectEncryption: must have"
            + " exactly 1 item, got 2",
        "ManifestGenerator.Other: unknown field"), problemsOf(job.toString()));
  }

  @Test
  void unionStructuresTakeExactlyOneMember() {
    ObjectNode job = JobFixtures.tree("tagging-manifest-generator.json");
    ObjectNode encryption = (ObjectNode) job.at(
        "/ManifestGenerator/S3JobManifestGenerator/Filter/MatchAnyObjectEncryption/0");
    encryption.putObject("NOTSSE");

    assertEquals(List.of("ManifestGenerator.S3JobManifestGenerator.Filter"
        + ".MatchAnyObjectEncryption[0]: must set exactly one of DSSEKMS, NOTSSE, SSEC, SSEKMS,"
        + " SSES3, got SSES3, NOTSSE"), problemsOf(job.toString()));
  }

  @Test
  void generatorFilterThatNoObjectCanMatchIsRefused() {
    ObjectNode job = JobFixtures.tree("tagging-manifest-generator.json");
    ObjectNode filter = (ObjectNode) job.at("/ManifestGenerator/S3JobManifestGenerator/Filter");
    filter.put("CreatedBefore", "2022-01-01");
    filter.put("ObjectSizeGreaterThanBytes", 100);
    filter.put("ObjectSizeLessThanBytes", 101);

    assertEquals(List.of(
        "ManifestGenerator.S3JobManifestGenerator.Filter.CreatedBefore: must be later than"
            + " CreatedAfter (2023-01-01T00:00:00Z), got 2022-01-01T00:00:00Z; no object can"
            + " match",
        "ManifestGenerator.S3JobManifestGenerator.Filter.ObjectSizeLessThanBytes: must be at"
            + " least ObjectSizeGreaterThanBytes + 2 (102), got 101; no object can match"),
        problemsOf(job.toString()));
  }

  @Test
  void mapEntriesAreCheckedByName() {
    String json = JobFixtures.text("copy-every-field.json")
        .replace("\"origin\": \"batch-copy\"", "\"origin\": 7");

    assertEquals(List.of("Operation.S3PutObjectCopy.NewObjectMetadata.UserMetadata.origin:"
        + " must be a string, got 7"), problemsOf(json));
  }

  @Test
  void copyWithoutTargetResourceIsRefused() {
    String json = JobFixtures.text("copy-every-field.json")
        .replace("\"TargetResource\": \"arn:aws:s3:::example-archive\",", "");

    assertEquals(List.of("Operation.S3PutObjectCopy.TargetResource: required"),
        problemsOf(json));
  }

  @Test
  void tagKeysFollowTheAwsPattern() {
    String json = JobFixtures.taggingWith(job -> tagSet(job).addObject()
        .put("Key", "bad#key").put("Value", "x"));

    assertEquals(List.of("Operation.S3PutObjectTagging.TagSet[2].Key: must match the pattern"
        + " ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$, got \"bad#key\""), problemsOf(json));
  }

  @Test
  void nullIsNotAValue() {
    String json = JobFixtures.taggingWith(job -> job.putNull("Description"));

    assertEquals(List.of("Description: must be a string, got null"), problemsOf(json));
  }
}
