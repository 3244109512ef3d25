package io.github.s3batchspark.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one Jackson configuration of the job package. */
final class JobJson {
  /**
   * Strict where a user's typo would otherwise pass silently: a key given twice and text after
   * the closing brace are malformed JSON, not "the last one wins". Instants are ISO-8601 text,
   * as the AWS CLI prints them.
   */
  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private JobJson() {}
}
