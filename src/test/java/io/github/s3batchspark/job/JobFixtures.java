package io.github.s3batchspark.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The example job JSONs under src/test/resources/io/github/s3batchspark/job, as text or trees. */
final class JobFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private JobFixtures() {}

  static String text(String name) {
    try (InputStream in = JobFixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(String name) {
    try {
      return (ObjectNode) JSON.readTree(text(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tagging example with one change applied, as JSON text. */
  static String taggingWith(Consumer<ObjectNode> change) {
    ObjectNode job = tree("put-tagging-csv.json");
    change.accept(job);
    return job.toString();
  }

  static JobSpec tagging() {
    return JobSpecParser.parse(text("put-tagging-csv.json"));
  }
}
