package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.s3batchspark.operation.OperationFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The job files the README points at stay valid as the spec and the operations change. */
class ExampleJobsTest {

  @Test
  void everyExampleJobIsValidAndBuildsItsOperation() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("conf/examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertFalse(examples.isEmpty());
    for (Path example : examples) {
      JobSpec spec = JobSpecParser.parseFile(example);
      String name = OperationFactory.create(spec.request().operation()).name();
      assertEquals(name, spec.operationName(), example.toString());
    }
  }
}
