package io.github.s3batchspark.notify;

import io.github.s3batchspark.job.JobListing;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.Owner;
import io.github.s3batchspark.job.spec.JobNotification;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job store that tells of every status change written through it (New at create-job, then
 * Preparing, Ready, Active, ... as the runner, the API and the console move the job), as a
 * {@link JobNotice}: to the service's own targets for the statuses it asked for, and to the
 * targets of the job's {@code Notifications} for the statuses each lists (every status when it
 * lists none).
 *
 * <p>A write that makes several moves at once is told move by move, along the life cycle's
 * fewest moves ({@link JobStatus#movesTo}), which are the moves the runner makes.
 *
 * <p>Notices are sent in order by one background thread, each with the sender's retries, so a
 * slow or unreachable target delays no write and fails no job; one that cannot be delivered is
 * logged. A change written by another process is told by that process's store, not this one.
 */
public final class NotifyingJobStore implements JobStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyingJobStore.class);
  /** How long closing waits for the notices still queued. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final JobStore store;
  private final NoticeSettings service;
  private final Set<JobStatus> serviceStatuses;
  private final Clock clock;
  private final NoticeSender serviceSender;
  private final ExecutorService sending = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "s3batch-notices");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param store           the store written through
   * @param service         the service's targets (its {@code --notify}) and the clients of
   *                        every notice, the job's targets' included
   * @param serviceStatuses the statuses the service's targets are told of (empty: none)
   */
  public NotifyingJobStore(JobStore store, NoticeSettings service,
      Set<JobStatus> serviceStatuses, Clock clock) {
    this.store = store;
    this.service = service;
    this.serviceStatuses = serviceStatuses.isEmpty() ? EnumSet.noneOf(JobStatus.class)
        : EnumSet.copyOf(serviceStatuses);
    this.clock = clock;
    this.serviceSender = new NoticeSender(service);
  }

  @Override
  public JobRecord create(JobSpec spec) {
    JobRecord created = store.create(spec);
    if (created.status() == JobStatus.NEW) {
      // an idempotent repeat of a create while the job is still New tells again, with the same
      // event id, so that receivers drop the copy
      tell(created);
    }
    return created;
  }

  @Override
  public JobRecord update(String jobId, Owner owner, UnaryOperator<JobRecord> change) {
    // The change may be applied more than once (compare-and-set): the record it was last
    // applied to is the one the written version follows.
    AtomicReference<JobRecord> before = new AtomicReference<>();
    JobRecord written = store.update(jobId, owner, record -> {
      before.set(record);
      return change.apply(record);
    });
    if (written.status() != before.get().status()) {
      tellMoves(before.get(), written);
    }
    return written;
  }

  @Override
  public JobRecord get(String jobId) {
    return store.get(jobId);
  }

  @Override
  public JobListing list(Set<JobStatus> statuses) {
    return store.list(statuses);
  }

  @Override
  public Path jobDirectory(String jobId) {
    return store.jobDirectory(jobId);
  }

  @Override
  public String location() {
    return store.location();
  }

  /**
   * Tells of each status {@code written} passed through since {@code before}: one write may
   * make several moves (Active, Completing, Complete), each told as the record it left.
   */
  private void tellMoves(JobRecord before, JobRecord written) {
    JobRecord passing = before;
    for (JobStatus status : before.status().movesTo(written.status())) {
      if (status == written.status()) {
        break;
      }
      passing = passing.withStatus(status, written.statusUpdateReason());
      tell(passing);
    }
    tell(written);
  }

  private void tell(JobRecord job) {
    JobNotice notice = new JobNotice(job, clock.instant());
    try {
      sending.execute(() -> send(notice));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.warn("Job {}: closed, so the notice that it is {} is not sent", job.jobId(),
          job.status());
    }
  }

  private void send(JobNotice notice) {
    JobStatus status = notice.job().status();
    if (serviceStatuses.contains(status)) {
      serviceSender.send(notice);
    }
    List<NoticeTarget> own = jobTargets(notice.job(), status);
    if (!own.isEmpty()) {
      new NoticeSender(new NoticeSettings(own, false, null, false,
          NoticeSettings.DEFAULT_METRICS_EVERY, service.clients())).send(notice);
    }
  }

  /** The job's own targets that ask for {@code status}; create-job checked their forms. */
  static List<NoticeTarget> jobTargets(JobRecord job, JobStatus status) {
    List<JobNotification> wanted = job.spec().request().notifications();
    List<NoticeTarget> targets = new ArrayList<>();
    if (wanted == null) {
      return targets;
    }
    for (JobNotification n : wanted) {
      if (n.events() == null || n.events().stream()
          .anyMatch(e -> e.equalsIgnoreCase(status.awsName()))) {
        try {
          targets.add(NoticeTarget.parse(n.target()));
        } catch (IllegalArgumentException e) {
          LOG.warn("Job {}: Notifications target {} is not sent to: {}", job.jobId(),
              n.target(), e.getMessage());
        }
      }
    }
    return targets;
  }

  /** Sends what is queued (waiting at most {@link #CLOSE_WAIT}), then takes no more. */
  @Override
  public void close() {
    sending.shutdown();
    try {
      if (!sending.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Job notices still queued after {} s are dropped", CLOSE_WAIT.toSeconds());
        sending.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
