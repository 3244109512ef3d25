package io.github.s3batchspark.notify;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpec;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a job from a template at each time of a {@link CronSchedule}, from the first such
 * time after the trigger starts (times missed while no service ran are not made up). Each
 * scheduled minute's job has its own ClientRequestToken, so two services sharing a store
 * create it once.
 */
public final class CronTrigger {
  private static final Logger LOG = LoggerFactory.getLogger(CronTrigger.class);

  private final CronSchedule schedule;
  private final JobTemplate template;
  private final Function<JobSpec, JobRecord> create;
  private final Clock clock;
  private ZonedDateTime next;

  public CronTrigger(CronSchedule schedule, JobTemplate template,
      Function<JobSpec, JobRecord> create, Clock clock) {
    this.schedule = schedule;
    this.template = template;
    this.create = create;
    this.clock = clock;
    this.next = schedule.next(clock.instant().atZone(clock.getZone()));
  }

  /** The next time the schedule fires. */
  public synchronized ZonedDateTime next() {
    return next;
  }

  /** Creates the job when its time has come; answers it, or nothing before then. */
  public synchronized Optional<JobRecord> check() {
    ZonedDateTime now = clock.instant().atZone(next.getZone());
    if (now.isBefore(next)) {
      return Optional.empty();
    }
    ZonedDateTime due = next;
    JobRecord job = create.apply(template.forSchedule(due.toInstant()));
    next = schedule.next(now);
    LOG.info("Trigger \"{}\": job {} for {}; next at {}", schedule.text(), job.jobId(), due,
        next);
    return Optional.of(job);
  }
}
