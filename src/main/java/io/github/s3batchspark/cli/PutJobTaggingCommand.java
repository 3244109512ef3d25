package io.github.s3batchspark.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.job.JobTags;
import io.github.s3batchspark.job.Owner;
import io.github.s3batchspark.job.spec.S3Tag;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kohsuke.args4j.Option;

/**
 * {@code put-job-tagging --job-id ID --tags '[{"Key":"k","Value":"v"}]'}, or {@code
 * --cli-input-json} with {@code JobId} and {@code Tags} (and {@code AccountId}) as the AWS CLI
 * takes it: replaces all the job's tags; prints nothing.
 */
public final class PutJobTaggingCommand extends JobVerb {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(name = "--job-id", metaVar = "ID", usage = "the job's id")
  String jobId;

  @Option(name = "--tags", metaVar = "JSON",
      usage = "the job's new tags, a JSON list: [{\"Key\": \"k\", \"Value\": \"v\"}, ...]")
  String tags;

  @Option(name = "--cli-input-json", metaVar = "JSON",
      usage = "{\"AccountId\": ..., \"JobId\": ..., \"Tags\": [...]}: file://path, or the JSON"
          + " itself; --job-id and --tags given as well win")
  String input;

  @Override
  public int run(PrintStream out, PrintStream err) {
    JsonNode request = input == null ? JSON.createObjectNode() : read(input, "--cli-input-json");
    if (accountId == null && request.hasNonNull("AccountId")) {
      accountId = request.get("AccountId").asText();
    }
    String id = jobId != null ? jobId : request.path("JobId").asText(null);
    JsonNode tagList = tags != null ? read(tags, "--tags") : request.get("Tags");
    if (id == null || tagList == null) {
      throw new UsageException("put-job-tagging needs --job-id and --tags (or JobId and Tags in"
          + " --cli-input-json)");
    }
    checkJobId(id);
    List<S3Tag> newTags = JobTags.parse(tagList);
    openStore().update(id, Owner.USER, stored -> checkAccount(stored).withTags(newTags));
    return 0;
  }

  /** JSON given as {@code file://path} or inline, as the AWS CLI reads it. */
  private static JsonNode read(String value, String option) {
    try {
      String text = value.startsWith("file://")
          ? Files.readString(Path.of(value.substring("file://".length()))) : value;
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UsageException(option + " is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UsageException(option + ": cannot read " + value + ": " + e.getMessage());
    }
  }
}
