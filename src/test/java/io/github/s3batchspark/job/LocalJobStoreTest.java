package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
  void everyChangeIsANewVersionFileAndNoTemporaryFileStays() throws IOException {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());
    store.update(job.jobId(), Owner.RUNNER, stored -> stored.withStatus(JobStatus.PREPARING,
        null));
    store.update(job.jobId(), Owner.RUNNER, stored -> stored.withStatus(JobStatus.READY, null));

    Path records = dir.resolve("store/jobs/" + job.jobId() + "/record");
    assertEquals(List.of("000000001.json", "000000002.json", "000000003.json"), names(records));
    String stored = Files.readString(records.resolve("000000003.json"));
    assertTrue(stored.contains("\"Status\" : \"Ready\""), stored);
    assertTrue(stored.contains("\"CreateJobRequest\""), stored);
    assertEquals(List.of("record"), names(records.getParent()));
  }

  @Test
  void recordOfAStoreWrittenBeforeVersionsIsReadAsVersionZero() throws IOException {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());
    Path jobDir = dir.resolve("store/jobs/" + job.jobId());
    Files.move(jobDir.resolve("record/000000001.json"), jobDir.resolve("job.json"));
    Files.delete(jobDir.resolve("record"));

    assertEquals(0, store.get(job.jobId()).version());
    JobRecord changed = store.update(job.jobId(), Owner.USER, stored -> stored.withPriority(9));

    assertEquals(1, changed.version());
    assertEquals(9, reopen(store).get(job.jobId()).priority());
  }

  @Test
  void corruptRecordIsLeftOutOfTheListWithAWarningNamingItsFile() throws IOException {
    JobStore store = newStore();
    JobRecord good = store.create(JobFixtures.tagging());
    JobRecord bad = store.create(JobFixtures.tagging());
    Path badFile = dir.resolve("store/jobs/" + bad.jobId() + "/record/000000001.json");
    Files.writeString(badFile, "{\"FormatVersion\": 1, \"Job\": {\"JobId\": ");

    JobListing listing = store.list();

    assertEquals(List.of(good), listing.jobs());
    assertEquals(1, listing.warnings().size(), listing.warnings().toString());
    String warning = listing.warnings().get(0);
    assertTrue(warning.startsWith("skipped job " + bad.jobId() + ": job record file:"
        + badFile.toUri().getPath()), warning);
    assertEquals(1, warning.lines().count(), warning);
  }

  @Test
  void corruptRecordIsNamedByGet() throws IOException {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());
    Path file = dir.resolve("store/jobs/" + job.jobId() + "/record/000000001.json");
    for (String text : List.of("", "not json", "[1, 2]", "{\"FormatVersion\": 1}",
        "{\"FormatVersion\": 1, \"Job\": {}, \"CreateJobRequest\": {\"AccountId\": 5}}")) {
      Files.writeString(file, text);

      CorruptJobRecordException e = assertThrows(CorruptJobRecordException.class,
          () -> store.get(job.jobId()), text);

      assertTrue(e.getMessage().startsWith("job record file:" + file.toUri().getPath()
          + " is corrupt ("), e.getMessage());
      assertTrue(e.getMessage().endsWith("): restore it, or delete the job's directory to"
          + " forget the job"), e.getMessage());
    }
  }

  @Test
  void createThatFailsWritingTheRecordLeavesNoJob() {
    JobStore store = fullDiskStore();
    FullDiskFileSystem.fullUnder = "/record/";
    try {
      JobStoreException e = assertThrows(JobStoreException.class,
          () -> store.create(JobFixtures.tagging()));

      assertTrue(e.getMessage().startsWith("cannot create a job in " + store.location()
          + ": cannot write "), e.getMessage());
      assertTrue(e.getMessage().endsWith("No space left on device; nothing was recorded"),
          e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
    } finally {
      FullDiskFileSystem.fullUnder = null;
    }
    assertEquals(List.of(), names(dir.resolve("full/jobs")));
    assertEquals(new JobListing(List.of(), List.of()), store.list());
  }

  @Test
  void createThatFailsClaimingItsTokenLeavesNoJobAndTheTokenFree() {
    JobStore store = fullDiskStore();
    String token = "token-" + UUID.randomUUID();
    JobSpec spec = JobSpecParser.parse(JobFixtures.taggingWith(
        job -> job.put("ClientRequestToken", token)));
    FullDiskFileSystem.fullUnder = "/tokens/";
    try {
      JobStoreException e = assertThrows(JobStoreException.class, () -> store.create(spec));
      assertTrue(e.getMessage().endsWith("No space left on device; nothing was recorded"),
          e.getMessage());
    } finally {
      FullDiskFileSystem.fullUnder = null;
    }
    assertEquals(List.of(), names(dir.resolve("full/jobs")));
    assertEquals(List.of(), names(dir.resolve("full/tokens")));

    JobRecord created = store.create(spec);
    assertEquals(List.of(created), store.list().jobs());
  }

  /** A user's process raises the priority while this one writes progress, on one record. */
  @Test
  void writersInTwoProcessesLoseNoUpdate() throws Exception {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());
    int writesEach = 40;
    Process user = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        PriorityWriterProcess.class.getName(), store.location(), job.jobId(),
        String.valueOf(writesEach)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(user.getInputStream(),
          StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine(); // logging shares the process's stdout
      } while (line != null && !line.equals("ready"));
      assertEquals("ready", line, "the user's process wrote once");
      for (int i = 0; i < writesEach; i++) {
        store.update(job.jobId(), Owner.RUNNER, stored -> stored.withProgress(new JobProgress(
            writesEach, stored.progress().numberOfTasksSucceeded() + 1, 0, 0)));
      }
      assertTrue(user.waitFor(2, TimeUnit.MINUTES), "the user's process ended");
      assertEquals(0, user.exitValue());
    } finally {
      user.destroyForcibly();
    }

    JobRecord last = reopen(store).get(job.jobId());
    assertEquals(writesEach, last.progress().numberOfTasksSucceeded());
    assertEquals(job.priority() + writesEach, last.priority());
    assertEquals(1 + 2L * writesEach, last.version());
  }

  private JobStore fullDiskStore() {
    return HadoopJobStore.open("fulldisk://" + dir.resolve("full").toUri().getPath(),
        FullDiskFileSystem.configuration(), null);
  }

  /** The names in a directory, sorted, hidden ones too; none when it does not exist. */
  private static List<String> names(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
