package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link JobStore} promises; each implementation's test supplies a fresh store. */
abstract class JobStoreContract {

  /** A new, empty store. */
  abstract JobStore newStore();

  /** A second store object over the same location as {@code store}, as another command sees it. */
  abstract JobStore reopen(JobStore store);

  private static JobSpec specWithToken(String token, int priority) {
    return JobSpecParser.parse(JobFixtures.taggingWith(job -> job
        .put("ClientRequestToken", token).put("Priority", priority)));
  }

  @Test
  void createdJobIsNewAndReadableById() {
    JobStore store = newStore();

    JobRecord created = store.create(JobFixtures.tagging());

    assertEquals(36, created.jobId().length());
    assertEquals(JobStatus.NEW, created.status());
    assertEquals(1, created.version());
    assertEquals(created, store.get(created.jobId()));
    assertEquals(created, reopen(store).get(created.jobId()));
  }

  @Test
  void sameTokenAndSpecReturnTheSameJob() {
    JobStore store = newStore();
    String token = "token-" + UUID.randomUUID();

    JobRecord first = store.create(specWithToken(token, 5));
    JobRecord again = reopen(store).create(specWithToken(token, 5));

    assertEquals(first.jobId(), again.jobId());
    assertEquals(1, store.list().jobs().size());
  }

  @Test
  void sameTokenWithDifferentSpecIsRefused() {
    JobStore store = newStore();
    String token = "token-" + UUID.randomUUID();
    JobRecord first = store.create(specWithToken(token, 5));

    IdempotencyException e = assertThrows(IdempotencyException.class,
        () -> store.create(specWithToken(token, 6)));

    assertEquals("ClientRequestToken \"" + token + "\" was already used for job "
        + first.jobId() + " with a different job spec: use a new token (or leave it out) to"
        + " create another job", e.getMessage());
    assertEquals(first.jobId(), e.existingJobId());
  }

  @Test
  void jobsWithoutTokensAreDistinct() {
    JobStore store = newStore();

    JobRecord a = store.create(JobFixtures.tagging());
    JobRecord b = store.create(JobFixtures.tagging());

    assertNotEquals(a.jobId(), b.jobId());
  }

  @Test
  void unknownJobIdIsNotFoundNamingIdAndStore() {
    JobStore store = newStore();

    JobNotFoundException e = assertThrows(JobNotFoundException.class,
        () -> store.get("00000000-0000-0000-0000-000000000000"));

    assertTrue(e.getMessage().startsWith("job 00000000-0000-0000-0000-000000000000 not found in"
        + " job store " + store.location()), e.getMessage());
  }

  @Test
  void somethingThatIsNoJobIdNeverBecomesAPath() {
    JobStore store = newStore();

    JobIdException e = assertThrows(JobIdException.class, () -> store.get("../../etc"));

    assertEquals("\"../../etc\" is not a job id: expected 36 characters, lower-case hex digits"
        + " and - like 0f8fad5b-d9cb-469f-a165-70867728950e, as create-job printed it",
        e.getMessage());
    for (String bad : List.of("", "/", "a/b", "..", "0B5D9F0E-6A1C-4C52-9A3E-6F7F0A1B2C3D",
        "0b5d9f0e-6a1c-4c52-9a3e-6f7f0a1b2c3d0", "0b5d9f0e-6a1c-4c52-9a3e-6f7f0a1b2c3\u0434",
        "x".repeat(10_000))) {
      JobIdException refused = assertThrows(JobIdException.class, () -> store.get(bad));
      assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
      assertThrows(JobIdException.class,
          () -> store.update(bad, Owner.USER, job -> job.withPriority(1)));
    }
    assertTrue(assertThrows(JobIdException.class, () -> store.get("x".repeat(10_000)))
        .getMessage().contains("... (10000 characters)"));
  }

  @Test
  void listFiltersByStatusNewestFirst() throws InterruptedException {
    JobStore store = newStore();
    JobRecord older = store.create(JobFixtures.tagging());
    Thread.sleep(5);
    JobRecord newer = store.create(JobFixtures.tagging());
    JobRecord preparing = store.update(older.jobId(), Owner.RUNNER,
        job -> job.withStatus(JobStatus.PREPARING, null));

    assertEquals(List.of(newer.jobId(), older.jobId()),
        store.list().jobs().stream().map(JobRecord::jobId).toList());
    assertEquals(List.of(preparing), store.list(Set.of(JobStatus.PREPARING)).jobs());
    assertEquals(List.of(newer), reopen(store).list(Set.of(JobStatus.NEW)).jobs());
    assertEquals(List.of(), store.list(Set.of(JobStatus.ACTIVE)).jobs());
    assertEquals(List.of(), store.list().warnings());
  }

  @Test
  void emptyStoreListsNothing() {
    assertEquals(new JobListing(List.of(), List.of()), newStore().list());
  }

  @Test
  void updateKeepsStatusProgressAndPriority() {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());

    JobRecord running = store.update(job.jobId(), Owner.RUNNER, stored -> stored
        .withStatus(JobStatus.PREPARING, null)
        .withStatus(JobStatus.READY, null)
        .withStatus(JobStatus.ACTIVE, null)
        .withProgress(new JobProgress(10, 3, 1, 2))
        .withReportLocation("s3://reports/job/"));
    JobRecord prioritised = store.update(job.jobId(), Owner.USER,
        stored -> stored.withPriority(77));

    JobRecord read = reopen(store).get(job.jobId());
    assertEquals(prioritised, read);
    assertEquals(JobStatus.ACTIVE, read.status());
    assertEquals(77, read.priority());
    assertEquals(new JobProgress(10, 3, 1, 2), read.progress());
    assertEquals("s3://reports/job/", read.reportLocation());
    assertEquals(List.of(1L, 2L, 3L), List.of(job.version(), running.version(), read.version()));
  }

  @Test
  void updateThatChangesNothingWritesNoVersion() {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());

    JobRecord same = store.update(job.jobId(), Owner.USER,
        stored -> stored.withPriority(job.priority()));

    assertEquals(job, same);
    assertEquals(1, reopen(store).get(job.jobId()).version());
  }

  @Test
  void progressWrittenAfterACancelKeepsTheCancellation() {
    JobStore store = newStore();
    String id = activeJob(store).jobId();
    store.update(id, Owner.USER, job -> job.withStatus(JobStatus.CANCELLING, "user cancelled"));

    JobRecord progressed = store.update(id, Owner.RUNNER,
        job -> job.withProgress(new JobProgress(10, 5, 0, 1)));

    assertEquals(JobStatus.CANCELLING, progressed.status());
    assertEquals("user cancelled", progressed.statusUpdateReason());
    assertEquals(5, reopen(store).get(id).progress().numberOfTasksSucceeded());
  }

  @Test
  void statusMoveNoLongerAllowedAfterACancelIsRefused() {
    JobStore store = newStore();
    String id = activeJob(store).jobId();
    store.update(id, Owner.USER, job -> job.withStatus(JobStatus.CANCELLING, "user cancelled"));

    JobStatusTransitionException e = assertThrows(JobStatusTransitionException.class,
        () -> store.update(id, Owner.RUNNER, job -> job.withStatus(JobStatus.COMPLETING, null)));

    assertEquals(JobStatus.CANCELLING, e.from());
    assertEquals(JobStatus.CANCELLING, store.get(id).status());
  }

  /**
   * The runner reads the record, a user changes the priority, the runner writes its progress:
   * the runner's write is made again on the user's record, so both changes hold.
   */
  @Test
  void priorityChangedWhileTheRunnerWritesProgressHolds() {
    JobStore store = newStore();
    String id = activeJob(store).jobId();
    JobStore user = reopen(store);
    AtomicInteger runnerAttempts = new AtomicInteger();

    JobRecord written = store.update(id, Owner.RUNNER, job -> {
      if (runnerAttempts.incrementAndGet() == 1) {
        user.update(id, Owner.USER, stored -> stored.withPriority(99));
      }
      return job.withProgress(new JobProgress(10, 7, 0, 3));
    });

    assertEquals(2, runnerAttempts.get(), "the runner lost the first race and tried again");
    assertEquals(99, written.priority());
    assertEquals(7, written.progress().numberOfTasksSucceeded());
    assertEquals(written, reopen(store).get(id));
  }

  /** The same race the other way: the user's priority change is made on the runner's record. */
  @Test
  void progressWrittenWhileAUserChangesThePriorityHolds() {
    JobStore store = newStore();
    String id = activeJob(store).jobId();
    JobStore runner = reopen(store);
    AtomicInteger userAttempts = new AtomicInteger();

    JobRecord written = store.update(id, Owner.USER, job -> {
      if (userAttempts.incrementAndGet() == 1) {
        runner.update(id, Owner.RUNNER,
            stored -> stored.withProgress(new JobProgress(10, 4, 1, 2)));
      }
      return job.withPriority(12);
    });

    assertEquals(12, written.priority());
    assertEquals(new JobProgress(10, 4, 1, 2), written.progress());
  }

  /**
   * Writers in threads, each over its own store object as separate commands would be: every
   * runner write adds one succeeded task, every user write one to the priority, so a lost update
   * shows as a count short.
   */
  @Test
  void concurrentWritersLoseNoUpdate() throws Exception {
    JobStore store = newStore();
    JobRecord job = activeJob(store);
    int writers = 4;
    int writesEach = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Owner owner = w % 2 == 0 ? Owner.RUNNER : Owner.USER;
        JobStore mine = reopen(store);
        done.add(pool.submit(() -> {
          for (int i = 0; i < writesEach; i++) {
            mine.update(job.jobId(), owner, owner == Owner.RUNNER
                ? stored -> stored.withProgress(oneMoreSucceeded(stored.progress()))
                : stored -> stored.withPriority(stored.priority() + 1));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    JobRecord last = reopen(store).get(job.jobId());
    int eachKind = writers / 2 * writesEach;
    assertEquals(eachKind, last.progress().numberOfTasksSucceeded());
    assertEquals(job.priority() + eachKind, last.priority());
    assertEquals(job.version() + 2L * eachKind, last.version());
    assertEquals(JobStatus.ACTIVE, last.status());
  }

  @Test
  void sameTokenFromTwoWritersAtOnceMakesOneJob() throws Exception {
    JobStore store = newStore();
    String token = "token-" + UUID.randomUUID();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<JobRecord> a = pool.submit(() -> store.create(specWithToken(token, 5)));
      Future<JobRecord> b = pool.submit(() -> reopen(store).create(specWithToken(token, 5)));

      assertEquals(a.get(1, TimeUnit.MINUTES).jobId(), b.get(1, TimeUnit.MINUTES).jobId());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, store.list().jobs().size());
  }

  @Test
  void writerMayChangeOnlyItsOwnFields() {
    JobStore store = newStore();
    String id = activeJob(store).jobId();

    IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
        () -> store.update(id, Owner.USER, job -> job.withProgress(new JobProgress(1, 1, 0, 0))));
    IllegalArgumentException runner = assertThrows(IllegalArgumentException.class,
        () -> store.update(id, Owner.RUNNER, job -> job.withPriority(1)));
    IllegalArgumentException userStatus = assertThrows(IllegalArgumentException.class,
        () -> store.update(id, Owner.USER, job -> job.withStatus(JobStatus.PAUSING, null)));

    assertEquals("a USER write to job " + id + " may not change ProgressSummary",
        user.getMessage());
    assertEquals("a RUNNER write to job " + id + " may not change Priority",
        runner.getMessage());
    assertEquals("a USER write to job " + id + " may not change Status (to Pausing)",
        userStatus.getMessage());
    assertEquals(4, store.get(id).version(), "nothing written");
  }

  @Test
  void updateOfUnknownJobIsNotFound() {
    JobStore store = newStore();

    assertThrows(JobNotFoundException.class, () -> store.update(JobRecord.newJobId(),
        Owner.USER, job -> job.withPriority(1)));
  }

  @Test
  void jobDirectoryIsInsideTheStore() {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());

    String dir = store.jobDirectory(job.jobId()).toString();

    assertTrue(dir.startsWith(store.location()), dir);
    assertTrue(dir.endsWith(job.jobId()), dir);
  }

  /** A job the runner has moved to Active (version 4: created, Preparing, Ready, Active). */
  private static JobRecord activeJob(JobStore store) {
    String id = store.create(JobFixtures.tagging()).jobId();
    store.update(id, Owner.RUNNER, job -> job.withStatus(JobStatus.PREPARING, null));
    store.update(id, Owner.RUNNER, job -> job.withStatus(JobStatus.READY, null));
    return store.update(id, Owner.RUNNER, job -> job.withStatus(JobStatus.ACTIVE, null));
  }

  private static JobProgress oneMoreSucceeded(JobProgress p) {
    return new JobProgress(p.totalNumberOfTasks(), p.numberOfTasksSucceeded() + 1,
        p.numberOfTasksFailed(), p.elapsedTimeInActiveSeconds());
  }
}
