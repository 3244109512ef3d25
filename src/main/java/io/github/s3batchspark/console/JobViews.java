package io.github.s3batchspark.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.JobProgress;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * What the console's pages show of jobs, as JSON: the fields are data, and the pages set them
 * as text, never as markup.
 */
final class JobViews {
  static final ObjectMapper JSON = new ObjectMapper();

  private JobViews() {}

  /** The list page's rows. */
  static ObjectNode list(List<JobRecord> jobs) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode rows = out.putArray("jobs");
    jobs.forEach(job -> rows.add(summary(job)));
    return out;
  }

  /** One job's page: its summary, why it failed, the report's location, the failure groups. */
  static ObjectNode detail(JobRecord job, List<FailureGroup> failures, Instant now) {
    ObjectNode out = summary(job);
    out.put("operation", job.operationName());
    out.put("statusUpdateReason", job.statusUpdateReason());
    out.put("terminationDate", text(job.terminationDate()));
    out.put("reportLocation", job.reportLocation());
    out.put("runner", job.lease() == null ? null : job.lease().holder()
        + (job.lease().isFresh(now) ? "" : " (not heard from: the run may have died)"));
    ArrayNode reasons = out.putArray("failureReasons");
    job.failureReasons().forEach(f -> reasons.addObject().put("code", f.failureCode())
        .put("reason", f.failureReason()));
    out.set("failures", JSON.valueToTree(failures));
    return out;
  }

  private static ObjectNode summary(JobRecord job) {
    JobProgress p = job.progress();
    ObjectNode row = JSON.createObjectNode();
    row.put("jobId", job.jobId());
    row.put("description", job.spec().request().description());
    row.put("status", job.status().awsName());
    row.put("priority", job.priority());
    row.put("creationTime", text(job.creationTime()));
    row.put("total", p.totalNumberOfTasks());
    row.put("succeeded", p.numberOfTasksSucceeded());
    row.put("failed", p.numberOfTasksFailed());
    row.put("elapsedSeconds", p.elapsedTimeInActiveSeconds());
    row.put("percentDone", p.totalNumberOfTasks() == 0 ? 0
        : Math.min(100, 100 * p.numberOfTasksDone() / p.totalNumberOfTasks()));
    row.put("objectsPerSecond", objectsPerSecond(p));
    row.put("canConfirm", job.status() == JobStatus.SUSPENDED);
    row.put("canCancel", !job.status().isTerminal()
        && job.status() != JobStatus.CANCELLING);
    return row;
  }

  /** Tasks done per second Active over the job's runs: the rate its records show. */
  static double objectsPerSecond(JobProgress p) {
    return p.elapsedTimeInActiveSeconds() == 0 ? 0
        : Math.round(10.0 * p.numberOfTasksDone() / p.elapsedTimeInActiveSeconds()) / 10.0;
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
