package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalJobStoreTest extends JobStoreContract {
  @TempDir
  Path dir;

  @Override
  JobStore newStore() {
    return HadoopJobStore.open(dir.resolve("store").toString(), new Configuration(), null);
  }

  @Override
  JobStore reopen(JobStore store) {
    return HadoopJobStore.open(store.location(), new Configuration(), null);
  }

  @Test
  void recordIsReplacedWithoutLeavingTemporaryFiles() throws IOException {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());
    store.update(job.withStatus(JobStatus.PREPARING, null));
    store.update(store.get(job.jobId()).withStatus(JobStatus.READY, null));

    Path jobDir = dir.resolve("store/jobs/" + job.jobId());
    try (Stream<Path> files = Files.list(jobDir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertEquals(List.of("job.json"), names);
    }
    String stored = Files.readString(jobDir.resolve("job.json"));
    assertTrue(stored.contains("\"Status\" : \"Ready\""), stored);
    assertTrue(stored.contains("\"CreateJobRequest\""), stored);
  }

  @Test
  void plainPathsAndHomeAreLocalDirectories() {
    String home = new File(System.getProperty("user.home")).toURI().toString();

    assertTrue(HadoopJobStore.open("~/somewhere", new Configuration(), null).location()
        .startsWith("file:" + new File(System.getProperty("user.home")).getPath()));
    assertEquals(home + ".s3batch", HadoopJobStore.defaultLocation());
    assertTrue(HadoopJobStore.open(null, new Configuration(), null).location()
        .endsWith(".s3batch"));
  }

  @Test
  void tokensAreKeptByHashNotInTheClear() throws IOException {
    JobStore store = newStore();
    store.create(JobSpecParser.parse(JobFixtures.taggingWith(
        job -> job.put("ClientRequestToken", "secret-looking token"))));

    try (Stream<Path> tokens = Files.list(dir.resolve("store/tokens"))) {
      List<String> names = tokens.map(p -> p.getFileName().toString()).toList();
      assertEquals(1, names.size());
      assertTrue(names.get(0).matches("[0-9a-f]{64}"), names.get(0));
    }
  }
}
