package io.github.s3batchspark.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.job.JobSpecException;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.Owner;

/**
 * The console's changes to jobs, by the same job-layer calls as the command line's verbs
 * ({@code create-job}, {@code update-job-status}, {@code update-job-priority}), on the served
 * account's jobs only.
 */
final class JobActions {
  private final JobStore store;
  private final ClientSettings clients;
  private final String accountId;

  JobActions(JobStore store, ClientSettings clients, String accountId) {
    this.store = store;
    this.clients = clients;
    this.accountId = accountId;
  }

  String accountId() {
    return accountId;
  }

  /** A job of the served account; another account's is not found, as in the API. */
  JobRecord job(String jobId) {
    JobRecord job = store.get(JobRecord.checkJobId(jobId));
    if (!job.accountId().equals(accountId)) {
      throw new ConsoleException(404, "no job " + jobId + " in account " + accountId);
    }
    return job;
  }

  /**
   * Records the pasted CreateJob JSON as a job. Its {@code AccountId}, when missing, is the
   * served account's, as the API takes it from {@code x-amz-account-id}.
   *
   * @throws JobSpecException listing every problem by field
   */
  JobRecord create(String json) {
    ObjectNode request = parsedOrAsIs(json);
    if (request != null && !request.has("AccountId")) {
      request.put("AccountId", accountId);
      json = request.toString();
    }
    JobSpec spec = JobSpecParser.parse(json);
    if (!spec.request().accountId().equals(accountId)) {
      throw JobSpecException.of("AccountId: " + spec.request().accountId() + " is not the "
          + "account this console serves (" + accountId + "): leave it out or give " + accountId);
    }
    return JobRunner.create(store, spec, clients);
  }

  /** Ready (confirm a Suspended job) or Cancelled. */
  JobRecord requestStatus(String jobId, String requested) {
    JobStatus target = switch (requested == null ? "" : requested) {
      case "Ready" -> JobStatus.READY;
      case "Cancelled" -> JobStatus.CANCELLED;
      default -> throw new ConsoleException(400, "status must be Ready or Cancelled, got "
          + requested);
    };
    job(jobId);
    return store.update(jobId, Owner.USER,
        stored -> stored.withRequestedStatus(target, "from the console"));
  }

  JobRecord requestPriority(String jobId, String priority) {
    int value;
    try {
      value = Integer.parseInt(priority == null ? "" : priority.trim());
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0) {
      throw new ConsoleException(400, "priority must be a whole number from 0 to 2147483647,"
          + " got " + priority);
    }
    int requested = value;
    job(jobId);
    return store.update(jobId, Owner.USER, stored -> stored.withRequestedPriority(requested));
  }

  /** The JSON as an object to complete, or null to let the parser name what is wrong. */
  private static ObjectNode parsedOrAsIs(String json) {
    try {
      return JobViews.JSON.readTree(json) instanceof ObjectNode object ? object : null;
    } catch (Exception e) {
      return null;
    }
  }
}
