package io.github.s3batchspark.job;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.spec.CreateJobRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Turns the JSON that {@code aws s3control create-job --cli-input-json} takes into a {@link
 * JobSpec}, or refuses it with a {@link JobSpecException} that lists every problem by field.
 *
 * <p>Order: read the JSON, fill a missing {@code ClientRequestToken} (the AWS CLI generates it as
 * an idempotency token although the model marks it required), validate against the shape and
 * AWS's rules, and only then map to records.
 */
public final class JobSpecParser {
  private static final String FILE_PREFIX = "file://";

  private JobSpecParser() {}

  /**
   * Parses a CLI argument the way the AWS CLI reads {@code --cli-input-json}: {@code
   * file://path} names a local file (relative to the working directory), anything else is the
   * JSON itself.
   */
  public static JobSpec parseArgument(String argument) {
    if (argument.startsWith(FILE_PREFIX)) {
      return parseFile(Path.of(argument.substring(FILE_PREFIX.length())));
    }
    return parse(argument);
  }

  public static JobSpec parseFile(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw JobSpecException.of("job JSON file " + file.toAbsolutePath() + " does not exist");
    } catch (IOException e) {
      throw JobSpecException.of("cannot read job JSON file " + file.toAbsolutePath() + ": "
          + e.getMessage());
    }
  }

  public static JobSpec parse(String json) {
    ObjectNode job = readObject(json);
    if (!job.has("ClientRequestToken")) {
      job.put("ClientRequestToken", UUID.randomUUID().toString());
    }
    List<String> problems = JobSpecValidator.createJob().validate(job);
    if (!problems.isEmpty()) {
      throw new JobSpecException(problems);
    }
    return new JobSpec(toRecord(job), job);
  }

  /**
   * The spec with its report table registered in the catalog as {@code name} (the extension
   * field {@code ReportTable.Name}), replacing any name it had; checked as any spec is.
   *
   * @throws JobSpecException naming {@code ReportTable.Name} when the name cannot be used
   */
  public static JobSpec withReportTable(JobSpec spec, String name) {
    ObjectNode job = spec.tree();
    job.putObject("ReportTable").put("Name", name);
    List<String> problems = JobSpecValidator.createJob().validate(job);
    if (!problems.isEmpty()) {
      throw new JobSpecException(problems);
    }
    return new JobSpec(toRecord(job), job);
  }

  private static ObjectNode readObject(String json) {
    if (json == null || json.isBlank()) {
      throw JobSpecException.of("job JSON is empty: give the CreateJob JSON, or file://path");
    }
    JsonNode tree;
    try {
      tree = JobJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + " column "
          + at.getColumnNr();
      throw JobSpecException.of("job JSON is malformed" + where + ": " + e.getOriginalMessage());
    }
    if (!tree.isObject()) {
      throw JobSpecException.of("job JSON must be an object {...}, got "
          + JobSpecValidator.shown(tree));
    }
    String broken = unpairedSurrogate(tree, "");
    if (broken != null) {
      throw JobSpecException.of(broken + ": contains an unpaired UTF-16 surrogate (a \\uD800-"
          + "\\uDFFF escape without its pair), which is no character: S3 keys, tags and"
          + " metadata are UTF-8 and cannot hold it");
    }
    return (ObjectNode) tree;
  }

  /**
   * The field path of the first name or string holding a lone surrogate, or null. JSON escapes
   * can spell one ({@code "\\uD800"}) although no UTF-8 text can; left in, it would become a
   * replacement character or an encoding error far from the job spec that caused it.
   */
  private static String unpairedSurrogate(JsonNode node, String path) {
    if (node.isTextual()) {
      return hasUnpairedSurrogate(node.textValue()) ? path : null;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = unpairedSurrogate(node.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    if (node.isObject()) {
      for (var fields = node.fields(); fields.hasNext(); ) {
        var field = fields.next();
        String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (hasUnpairedSurrogate(field.getKey())) {
          return path.isEmpty() ? "a field name" : path + ": a field name";
        }
        String found = unpairedSurrogate(field.getValue(), fieldPath);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static CreateJobRequest toRecord(ObjectNode job) {
    try {
      return JobJson.MAPPER.treeToValue(job, CreateJobRequest.class);
    } catch (JsonProcessingException e) {
      // the validator accepted the tree, so the records and the shape disagree: a build problem
      throw new IllegalStateException("the job spec records do not match create-job-shape.json;"
          + " regenerate both with scripts/dev/generate-job-spec.py: " + e.getOriginalMessage(),
          e);
    }
  }
}
