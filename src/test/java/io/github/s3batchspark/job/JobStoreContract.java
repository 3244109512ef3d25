package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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
    assertEquals(1, store.list().size());
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

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.get("../../etc"));

    assertTrue(e.getMessage().startsWith("\"../../etc\" is not a job id"), e.getMessage());
  }

  @Test
  void listFiltersByStatusNewestFirst() throws InterruptedException {
    JobStore store = newStore();
    JobRecord older = store.create(JobFixtures.tagging());
    Thread.sleep(5);
    JobRecord newer = store.create(JobFixtures.tagging());
    JobRecord preparing = store.update(older.withStatus(JobStatus.PREPARING, null));

    assertEquals(List.of(newer.jobId(), older.jobId()),
        store.list().stream().map(JobRecord::jobId).toList());
    assertEquals(List.of(preparing), store.list(Set.of(JobStatus.PREPARING)));
    assertEquals(List.of(newer), reopen(store).list(Set.of(JobStatus.NEW)));
    assertEquals(List.of(), store.list(Set.of(JobStatus.ACTIVE)));
  }

  @Test
  void emptyStoreListsNothing() {
    assertEquals(List.of(), newStore().list());
  }

  @Test
  void updateKeepsStatusProgressAndPriority() {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());

    JobRecord running = job.withStatus(JobStatus.PREPARING, null)
        .withStatus(JobStatus.READY, null)
        .withStatus(JobStatus.ACTIVE, null)
        .withProgress(new JobProgress(10, 3, 1, 2))
        .withPriority(77)
        .withReportLocation("s3://reports/job/");
    store.update(running);

    JobRecord read = reopen(store).get(job.jobId());
    assertEquals(running, read);
    assertEquals(JobStatus.ACTIVE, read.status());
    assertEquals(77, read.priority());
    assertEquals(new JobProgress(10, 3, 1, 2), read.progress());
  }

  @Test
  void staleWriterCannotUndoACancellation() {
    JobStore store = newStore();
    JobRecord active = store.update(store.create(JobFixtures.tagging())
        .withStatus(JobStatus.PREPARING, null)
        .withStatus(JobStatus.READY, null)
        .withStatus(JobStatus.ACTIVE, null));
    store.update(store.get(active.jobId()).withStatus(JobStatus.CANCELLING, "user cancelled"));

    JobStatusTransitionException e = assertThrows(JobStatusTransitionException.class,
        () -> store.update(active.withProgress(new JobProgress(10, 5, 0, 1))));

    assertEquals(JobStatus.CANCELLING, e.from());
    assertEquals(JobStatus.CANCELLING, store.get(active.jobId()).status());
  }

  @Test
  void updateOfUnknownJobIsNotFound() {
    JobStore store = newStore();
    JobRecord never = JobRecord.newJob(JobRecord.newJobId(), JobFixtures.tagging(),
        Instant.now(), "us-east-1");

    assertThrows(JobNotFoundException.class, () -> store.update(never));
  }

  @Test
  void jobDirectoryIsInsideTheStore() {
    JobStore store = newStore();
    JobRecord job = store.create(JobFixtures.tagging());

    String dir = store.jobDirectory(job.jobId()).toString();

    assertTrue(dir.startsWith(store.location()), dir);
    assertTrue(dir.endsWith(job.jobId()), dir);
  }
}
