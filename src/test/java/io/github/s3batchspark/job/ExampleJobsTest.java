package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.operation.OperationFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every job under conf/examples is one a user can run as it stands: it passes validation, its
 * operation builds, and together they show every operation this build runs.
 */
class ExampleJobsTest {
  private static final Path EXAMPLES = Path.of(System.getProperty("project.basedir", "."),
      "conf", "examples");

  @Test
  void everyExampleParsesAndItsOperationBuilds() throws IOException {
    List<Path> files = examples();
    assertTrue(files.size() >= SupportedOperations.NAMES.size(), files::toString);
    for (Path file : files) {
      JobSpec spec = JobSpecParser.parseFile(file);
      assertEquals(spec.operationName(), OperationFactory.create(spec.request().operation())
          .name(), file::toString);
    }
  }

  @Test
  void everySupportedOperationHasAnExample() throws IOException {
    Set<String> shown = examples().stream()
        .map(f -> JobSpecParser.parseFile(f).operationName())
        .collect(Collectors.toSet());
    assertEquals(Set.copyOf(SupportedOperations.NAMES), shown);
  }

  private static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }
}
