package io.github.s3batchspark.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.job.spec.S3Tag;
import java.util.Arrays;
import java.util.List;

/**
 * The tags PutJobTagging gives a job, checked as CreateJob's {@code Tags} are (key and value
 * lengths and characters) and against Amazon's limit of 50 tags a job.
 */
public final class JobTags {
  /** Amazon's limit on the tags of one job (TooManyTagsException above it). */
  public static final int MAX_TAGS = 50;

  private JobTags() {}

  /**
   * Reads a JSON list of {@code {"Key": ..., "Value": ...}} objects.
   *
   * @throws JobSpecException      naming each tag that is malformed
   * @throws TooManyTagsException  when there are more than {@link #MAX_TAGS}
   */
  public static List<S3Tag> parse(JsonNode tags) {
    List<String> problems = JobSpecValidator.createJob().validateMember("Tags", tags);
    if (!problems.isEmpty()) {
      throw new JobSpecException(problems);
    }
    if (tags.size() > MAX_TAGS) {
      throw new TooManyTagsException(tags.size());
    }
    try {
      return Arrays.asList(JobJson.MAPPER.treeToValue(tags, S3Tag[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("validated tags must map to S3Tag records", e);
    }
  }
}
