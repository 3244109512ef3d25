package io.github.s3batchspark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobNotFoundException;
import io.github.s3batchspark.job.JobPage;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.JobTags;
import io.github.s3batchspark.job.Owner;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The job operations of S3 Control on one account's jobs in a job store: each takes the
 * request's members (the URI's job id, the query, the XML body as JSON) and returns the
 * output's members as JSON, in botocore's member names, by the same job-layer calls as the
 * command line. A job of another account is not found, as on Amazon, where accounts see only
 * their own jobs.
 */
final class JobApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobStore store;
  private final ClientSettings clients;
  private final String accountId;

  JobApi(JobStore store, ClientSettings clients, String accountId) {
    this.store = store;
    this.clients = clients;
    this.accountId = accountId;
  }

  /** The request's members: the URI's job id (or null), the query, the XML body as JSON. */
  record Call(String operation, String jobId, Map<String, List<String>> query, ObjectNode body) {
    String query(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  JsonNode call(Call call) {
    return switch (call.operation()) {
      case "CreateJob" -> createJob(call.body());
      case "DescribeJob" -> job(call.jobId()).toDescribeJobOutput();
      case "ListJobs" -> listJobs(call);
      case "UpdateJobPriority" -> updateJobPriority(call);
      case "UpdateJobStatus" -> updateJobStatus(call);
      case "GetJobTagging" -> object("Tags", JSON.valueToTree(job(call.jobId()).tags()));
      case "PutJobTagging" -> putJobTagging(call);
      case "DeleteJobTagging" -> {
        update(call.jobId(), job -> job.withTags(List.of()));
        yield JSON.createObjectNode();
      }
      default -> throw new IllegalStateException("no handler for " + call.operation());
    };
  }

  /** The body is CreateJob's JSON but for the account, which travels in x-amz-account-id. */
  private JsonNode createJob(ObjectNode body) {
    ObjectNode request = JSON.createObjectNode().put("AccountId", accountId);
    request.setAll(body);
    JobSpec spec = JobSpecParser.parse(request.toString());
    return object("JobId", JSON.getNodeFactory().textNode(
        JobRunner.create(store, spec, clients).jobId()));
  }

  private JsonNode listJobs(Call call) {
    Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
    for (String status : call.query().getOrDefault("jobStatuses", List.of())) {
      try {
        statuses.add(JobStatus.fromAwsName(status));
      } catch (IllegalArgumentException e) {
        throw ApiError.invalidRequest("jobStatuses: " + e.getMessage());
      }
    }
    int maxResults = integer(call, "maxResults", JobPage.MAX_RESULTS, JobPage.MAX_RESULTS);
    JobPage page = JobPage.of(store.list(statuses).ofAccount(accountId).jobs(), maxResults,
        call.query("nextToken"));
    ObjectNode output = JobRecord.toListJobsOutput(page.jobs());
    if (page.nextToken() != null) {
      output.put("NextToken", page.nextToken());
    }
    return output;
  }

  private JsonNode updateJobPriority(Call call) {
    if (call.query("priority") == null) {
      throw ApiError.badRequest("priority is required: 0 to 2147483647, higher runs first");
    }
    int priority = integer(call, "priority", 0, Integer.MAX_VALUE);
    JobRecord job = update(call.jobId(), stored -> stored.withRequestedPriority(priority));
    return JSON.createObjectNode().put("JobId", job.jobId()).put("Priority", job.priority());
  }

  private JsonNode updateJobStatus(Call call) {
    String requested = call.query("requestedJobStatus");
    if (!"Ready".equals(requested) && !"Cancelled".equals(requested)) {
      throw ApiError.badRequest("requestedJobStatus must be Ready or Cancelled, got "
          + requested);
    }
    String reason = call.query("statusUpdateReason");
    JobRecord job = update(call.jobId(),
        stored -> stored.withRequestedStatus(JobStatus.fromAwsName(requested), reason));
    ObjectNode output = JSON.createObjectNode().put("JobId", job.jobId())
        .put("Status", job.status().awsName());
    if (reason != null) {
      output.put("StatusUpdateReason", reason);
    }
    return output;
  }

  private JsonNode putJobTagging(Call call) {
    JsonNode tags = call.body().get("Tags");
    if (tags == null) {
      throw ApiError.badRequest("Tags is required: the job's new tags (an empty list removes "
          + "them all)");
    }
    var newTags = JobTags.parse(tags);
    update(call.jobId(), job -> job.withTags(newTags));
    return JSON.createObjectNode();
  }

  /** The job, when it is this account's; another account's job is not found. */
  private JobRecord job(String jobId) {
    return ours(store.get(JobRecord.checkJobId(jobId)));
  }

  private JobRecord update(String jobId, UnaryOperator<JobRecord> change) {
    return store.update(JobRecord.checkJobId(jobId), Owner.USER,
        stored -> change.apply(ours(stored)));
  }

  private JobRecord ours(JobRecord job) {
    if (!job.accountId().equals(accountId)) {
      throw new JobNotFoundException(job.jobId(), store.location() + " for account "
          + accountId);
    }
    return job;
  }

  private static int integer(Call call, String name, int whenAbsent, int max) {
    String value = call.query(name);
    if (value == null) {
      return whenAbsent;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 0 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below, with the value
    }
    throw ApiError.invalidRequest(name + " must be a whole number from 0 to " + max + ", got "
        + value);
  }

  private static ObjectNode object(String name, JsonNode value) {
    ObjectNode node = JSON.createObjectNode();
    node.set(name, value);
    return node;
  }
}
