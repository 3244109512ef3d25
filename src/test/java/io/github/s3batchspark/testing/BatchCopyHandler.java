package io.github.s3batchspark.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Batch Operations Lambda handler written the way Amazon's guides write them, for schema 1.0
 * and 2.0: it reads the event, copies the object it is given to a new key through the S3 API,
 * and answers with the documented response. Nothing in it knows about this project.
 *
 * <p>It decodes the key as the guides do ({@code unquote_plus}), takes the bucket from
 * {@code s3BucketArn} (1.0) or {@code s3Bucket} (2.0), and the destination prefix from the job's
 * {@code userArguments.DestinationPrefix} (2.0) or its own default (1.0). Throttling is a
 * TemporaryFailure, anything else S3 refuses a PermanentFailure.
 */
public final class BatchCopyHandler implements LocalLambdaServer.Handler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final S3Client s3;
  private final String defaultPrefix;

  public BatchCopyHandler(S3Client s3, String defaultPrefix) {
    this.s3 = s3;
    this.defaultPrefix = defaultPrefix;
  }

  @Override
  @SuppressWarnings("unchecked")
  public String handle(String eventJson) throws Exception {
    Map<String, Object> event = JSON.readValue(eventJson, Map.class);
    String schema = (String) event.get("invocationSchemaVersion");
    Map<String, Object> job = (Map<String, Object>) event.get("job");
    Map<String, String> args = (Map<String, String>) job.getOrDefault("userArguments", Map.of());
    String prefix = args.getOrDefault("DestinationPrefix", defaultPrefix);

    List<Map<String, Object>> results = new ArrayList<>();
    for (Map<String, Object> task : (List<Map<String, Object>>) event.get("tasks")) {
      String bucket = "2.0".equals(schema) ? (String) task.get("s3Bucket")
          : ((String) task.get("s3BucketArn")).split(":::")[1];
      String key = URLDecoder.decode((String) task.get("s3Key"), StandardCharsets.UTF_8);
      String version = (String) task.get("s3VersionId");
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("taskId", task.get("taskId"));
      try {
        String target = prefix + key;
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).sourceVersionId(version)
            .destinationBucket(bucket).destinationKey(target));
        result.put("resultCode", "Succeeded");
        result.put("resultString", "Copied " + key + " to " + target);
      } catch (AwsServiceException e) {
        boolean throttled = e.statusCode() == 503 || e.isThrottlingException();
        result.put("resultCode", throttled ? "TemporaryFailure" : "PermanentFailure");
        result.put("resultString", e.awsErrorDetails().errorCode() + ": " + key);
      }
      results.add(result);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("invocationSchemaVersion", schema);
    response.put("treatMissingKeysAs", "PermanentFailure");
    response.put("invocationId", event.get("invocationId"));
    response.put("results", results);
    return JSON.writeValueAsString(response);
  }
}
