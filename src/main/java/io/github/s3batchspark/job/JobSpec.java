package io.github.s3batchspark.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.spec.CreateJobRequest;
import java.io.Serializable;

/**
 * A validated CreateJob request: the typed {@link CreateJobRequest} for the code that runs the
 * job, and the normalised JSON (token filled in, timestamps as ISO-8601 UTC) that DescribeJob
 * echoes back and the job store keeps. Built only by {@link JobSpecParser}, so a {@code JobSpec}
 * is always valid and runnable by this build.
 */
public final class JobSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CreateJobRequest request;
  private final String json;
  private final String operationName;

  JobSpec(CreateJobRequest request, ObjectNode normalised) {
    this.request = request;
    this.operationName = normalised.get("Operation").fieldNames().next();
    try {
      this.json = JobJson.MAPPER.writeValueAsString(normalised);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed job tree must serialise", e);
    }
  }

  public CreateJobRequest request() {
    return request;
  }

  /** The normalised CreateJob JSON, compact, members in the order the user wrote them. */
  public String json() {
    return json;
  }

  /** A fresh copy of the normalised JSON tree (callers may change it freely). */
  public ObjectNode tree() {
    try {
      return (ObjectNode) JobJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JobSpec holds valid JSON", e);
    }
  }

  /** The idempotency token, as given or generated when the JSON had none. */
  public String clientRequestToken() {
    return request.clientRequestToken();
  }

  /** The one operation's member name in {@code Operation}, e.g. {@code S3PutObjectTagging}. */
  public String operationName() {
    return operationName;
  }

  /** The operation's parameters as given, e.g. {@code {"TagSet": [...]}}. */
  public JsonNode operationParameters() {
    return tree().get("Operation").get(operationName);
  }

  /** Two specs are the same request when their normalised JSON trees are equal. */
  public boolean sameRequestAs(JobSpec other) {
    return tree().equals(other.tree());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobSpec other && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json;
  }
}
