package io.github.s3batchspark.notify;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.JobProgress;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.LiveProgress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * One job's CloudWatch metrics, namespace {@value #NAMESPACE}, dimension {@code JobId}: tasks
 * succeeded, failed and in all, and objects per second. Given the live counts at every
 * heartbeat, it publishes at most once per interval while the job runs, and once more at its
 * end; a PutMetricData that fails is logged and the job goes on.
 */
public final class JobMetrics implements Consumer<LiveProgress> {
  private static final Logger LOG = LoggerFactory.getLogger(JobMetrics.class);
  public static final String NAMESPACE = "S3BatchSpark";
  public static final String SUCCEEDED = "TasksSucceeded";
  public static final String FAILED = "TasksFailed";
  public static final String TOTAL = "TotalTasks";
  public static final String OBJECTS_PER_SECOND = "ObjectsPerSecond";

  private final NoticeSettings settings;
  private final Clock clock;
  private Instant lastPublished;

  public JobMetrics(NoticeSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Publishes the live counts when an interval has passed since the last publication. */
  @Override
  public synchronized void accept(LiveProgress progress) {
    Instant now = clock.instant();
    if (lastPublished != null && now.isBefore(lastPublished.plus(settings.metricsEvery()))) {
      return;
    }
    lastPublished = now;
    publish(progress.jobId(), now, progress.succeeded(), progress.failed(), progress.total(),
        progress.objectsPerSecond());
  }

  /** Publishes the job's final counts, its rate over its time Active. */
  public synchronized void ended(JobRecord job) {
    JobProgress p = job.progress();
    double rate = p.elapsedTimeInActiveSeconds() == 0 ? 0
        : (double) p.numberOfTasksDone() / p.elapsedTimeInActiveSeconds();
    publish(job.jobId(), clock.instant(), p.numberOfTasksSucceeded(), p.numberOfTasksFailed(),
        p.totalNumberOfTasks(), rate);
  }

  private void publish(String jobId, Instant at, long succeeded, long failed, long total,
      double rate) {
    Dimension job = Dimension.builder().name("JobId").value(jobId).build();
    List<MetricDatum> data = List.of(
        datum(SUCCEEDED, succeeded, StandardUnit.COUNT, job, at),
        datum(FAILED, failed, StandardUnit.COUNT, job, at),
        datum(TOTAL, total, StandardUnit.COUNT, job, at),
        datum(OBJECTS_PER_SECOND, rate, StandardUnit.COUNT_SECOND, job, at));
    try {
      ExecutorClients.get(settings.clients()).cloudWatch()
          .putMetricData(b -> b.namespace(NAMESPACE).metricData(data)).join();
    } catch (RuntimeException e) {
      LOG.warn("Job {}: cannot publish its CloudWatch metrics: {}", jobId, e.getMessage());
    }
  }

  private static MetricDatum datum(String name, double value, StandardUnit unit, Dimension job,
      Instant at) {
    return MetricDatum.builder().metricName(name).value(value).unit(unit).dimensions(job)
        .timestamp(at).build();
  }
}
