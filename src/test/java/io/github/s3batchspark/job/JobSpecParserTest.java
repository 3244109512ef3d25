package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.job.spec.CreateJobRequest;
import io.github.s3batchspark.job.spec.S3CopyObjectOperation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSpecParserTest {

  @Test
  void taggingJobWithCsvManifestParsesIntoRecords() {
    JobSpec spec = JobFixtures.tagging();
    CreateJobRequest request = spec.request();

    assertEquals("S3PutObjectTagging", spec.operationName());
    assertEquals("apollo", request.operation().s3PutObjectTagging().tagSet().get(0).value());
    assertEquals(List.of("Bucket", "Key"), request.manifest().spec().fields());
    assertEquals("arn:aws:s3:::example-reports", request.report().bucket());
    assertEquals(10, request.priority());
    assertNull(request.operation().s3PutObjectCopy());
  }

  @Test
  void copyJobWithEveryFieldParsesAndTimestampsBecomeInstants() {
    JobSpec spec = JobSpecParser.parse(JobFixtures.text("copy-every-field.json"));
    S3CopyObjectOperation copy = spec.request().operation().s3PutObjectCopy();

    assertEquals("copy-to-archive-2024-01", spec.clientRequestToken());
    assertEquals("STANDARD_IA", copy.storageClass());
    assertEquals(Instant.parse("2023-06-01T00:00:00Z"), copy.modifiedSinceConstraint());
    // epoch seconds, an offset and a bare date are all accepted, as the AWS CLI does
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), copy.newObjectMetadata().httpExpiresDate());
    assertEquals(Instant.parse("2024-01-31T11:00:00Z"), copy.unModifiedSinceConstraint());
    assertEquals(Instant.parse("2030-01-01T00:00:00Z"), copy.objectLockRetainUntilDate());
    assertEquals("data-team", copy.newObjectMetadata().userMetadata().get("owner"));
    assertEquals("storage_class = 'STANDARD' AND size > 1048576",
        spec.request().manifestFilter().where());
  }

  @Test
  void normalisedJsonCarriesTimestampsAsIsoUtcText() {
    JobSpec spec = JobSpecParser.parse(JobFixtures.text("copy-every-field.json"));
    JsonNode metadata = spec.tree().at("/Operation/S3PutObjectCopy/NewObjectMetadata");

    assertEquals("2026-01-01T00:00:00Z", metadata.get("HttpExpiresDate").asText());
    assertEquals(JobSpecParser.parse(spec.json()), spec, "the normalised JSON parses to itself");
  }

  @Test
  void deleteTaggingWithInventoryManifestParses() {
    JobSpec spec = JobSpecParser.parse(JobFixtures.text("delete-tagging-inventory.json"));

    assertEquals("S3DeleteObjectTagging", spec.operationName());
    assertEquals("S3InventoryReport_CSV_20161130", spec.request().manifest().spec().format());
    assertFalse(spec.request().report().enabled());
  }

  @Test
  void manifestGeneratorJobIsValidatedAndParsed() {
    JobSpec spec = JobSpecParser.parse(JobFixtures.text("tagging-manifest-generator.json"));
    var generator = spec.request().manifestGenerator().s3JobManifestGenerator();

    assertEquals("arn:aws:s3:::example-source", generator.sourceBucket());
    assertEquals(Instant.parse("2024-01-01T00:00:00Z"), generator.filter().createdBefore());
    assertEquals(List.of("logs/"), generator.filter().keyNameConstraint().matchAnyPrefix());
    assertNull(spec.request().manifest());
  }

  @Test
  void missingClientRequestTokenIsGeneratedAsUuid() {
    JobSpec first = JobFixtures.tagging();
    JobSpec second = JobFixtures.tagging();

    assertEquals(first.clientRequestToken(),
        UUID.fromString(first.clientRequestToken()).toString());
    assertNotEquals(first.clientRequestToken(), second.clientRequestToken());
    assertEquals(first.clientRequestToken(), first.tree().get("ClientRequestToken").asText());
  }

  @Test
  void fileArgumentIsReadLikeTheAwsCli(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("job.json");
    Files.writeString(file, JobFixtures.text("put-tagging-csv.json"));

    JobSpec spec = JobSpecParser.parseArgument("file://" + file);

    assertEquals("S3PutObjectTagging", spec.operationName());
    JobSpecException missing = assertThrows(JobSpecException.class,
        () -> JobSpecParser.parseArgument("file://" + dir.resolve("nope.json")));
    assertTrue(missing.getMessage().contains("nope.json does not exist"), missing.getMessage());
  }

  @Test
  void inlineJsonArgumentIsParsedAsIs() {
    JobSpec spec = JobSpecParser.parseArgument(JobFixtures.text("put-tagging-csv.json"));

    assertEquals(10, spec.request().priority());
  }

  @Test
  void specAndRecordSurviveJavaSerialisationForSparkClosures() throws Exception {
    JobSpec spec = JobSpecParser.parse(JobFixtures.text("copy-every-field.json"));
    JobRecord job = JobRecord.newJob(JobRecord.newJobId(), spec, Instant.now(), "us-east-1")
        .withFailure(new JobFailure("Code", "reason"));

    assertEquals(spec, roundTrip(spec));
    assertEquals(spec.request(), roundTrip(spec).request());
    assertEquals(job, roundTrip(job));
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void everyPatternOfTheShapeCompilesAsJavaRegex() {
    List<String> patterns = new ArrayList<>();
    collectPatterns(JobSpecValidator.createJob().shape(), patterns);

    assertFalse(patterns.isEmpty());
    for (String pattern : patterns) {
      assertTrue(JobSpecValidator.pattern(pattern) instanceof Pattern, pattern);
    }
  }

  private static void collectPatterns(JsonNode shape, List<String> out) {
    if (shape.has("pattern")) {
      out.add(shape.get("pattern").asText());
    }
    shape.path("members").forEach(m -> collectPatterns(m, out));
    for (String child : List.of("member", "key", "value")) {
      if (shape.has(child)) {
        collectPatterns(shape.get(child), out);
      }
    }
  }
}
