package io.github.s3batchspark.notify;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.Owner;
import io.github.s3batchspark.job.spec.S3Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a trigger's job in the store and hands it to EMR Serverless instead of letting
 * {@code serve} run it: StartJobRun with the shaded jar and the arguments {@code run --job-id
 * ID --job-store STORE}, as {@code scripts/submit-emr-serverless} starts a run.
 *
 * <p>The job carries the tag {@value #TAG} from its creation on (so that no {@code serve}
 * takes it meanwhile); once the run is started the tag's value names it
 * ({@code emr-serverless:APPLICATION/JOB_RUN_ID}), for GetJobTagging and the console. A job
 * already handed off is not started twice (a redelivered message, a second service), and
 * StartJobRun's client token is the job's ClientRequestToken, so that EMR Serverless itself
 * drops a repeated request. A StartJobRun that fails throws: the trigger tries again (the
 * message is delivered again; the schedule checks again) and finds the same job.
 */
public final class EmrServerlessHandoff implements Function<JobSpec, JobRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(EmrServerlessHandoff.class);
  /** The tag of a job that runs on EMR Serverless, never in {@code serve}. */
  public static final String TAG = "s3batch:runs-on";
  static final String PREFIX = "emr-serverless:";

  private final EmrServerless where;
  private final JobStore store;
  private final Function<JobSpec, JobRecord> create;
  private final ExecutorClients clients;

  /**
   * @param create records a job (or returns the one its ClientRequestToken made), as the
   *               service does for the jobs it runs itself
   */
  public EmrServerlessHandoff(EmrServerless where, JobStore store,
      Function<JobSpec, JobRecord> create, ClientSettings clients) {
    this.where = where;
    this.store = store;
    this.create = create;
    this.clients = ExecutorClients.get(clients.withCallerCredentials());
  }

  /** Whether a job was handed to EMR Serverless, so that no {@code serve} runs it. */
  public static boolean isHandedOff(JobRecord job) {
    return tag(job).isPresent();
  }

  /** The job, created and handed off (or as it was, when it had been handed off before). */
  @Override
  public JobRecord apply(JobSpec spec) {
    JobRecord job = create.apply(tagged(spec, PREFIX + where.applicationId()));
    if (tag(job).filter(v -> v.contains("/")).isPresent()) {
      return job; // its run was started before
    }
    String runId = clients.emrServerless().startJobRun(b -> b
        .applicationId(where.applicationId())
        .executionRoleArn(where.executionRoleArn())
        .clientToken(clientToken(spec.clientRequestToken()))
        .name("s3-batch-spark: job " + job.jobId())
        .jobDriver(d -> d.sparkSubmit(s -> s.entryPoint(where.jar())
            .entryPointArguments(runArguments(job.jobId()))
            .sparkSubmitParameters(where.sparkSubmitParameters())))
        .configurationOverrides(o -> {
          if (where.logUri() != null) {
            o.monitoringConfiguration(m -> m.s3MonitoringConfiguration(
                l -> l.logUri(where.logUri())));
          }
        })).join().jobRunId();
    LOG.info("Job {} handed to EMR Serverless application {}: job run {}", job.jobId(),
        where.applicationId(), runId);
    String started = PREFIX + where.applicationId() + "/" + runId;
    return store.update(job.jobId(), Owner.USER, r -> r.withTags(retagged(r.tags(), started)));
  }

  /** What the job run's driver is given: the run verb, the job and the store it lives in. */
  List<String> runArguments(String jobId) {
    return List.of("run", "--job-id", jobId, "--job-store", store.location());
  }

  private static JobSpec tagged(JobSpec spec, String value) {
    var tree = spec.tree();
    var tags = tree.withArray("Tags");
    for (int i = tags.size() - 1; i >= 0; i--) {
      if (TAG.equals(tags.get(i).path("Key").asText())) {
        tags.remove(i);
      }
    }
    tags.addObject().put("Key", TAG).put("Value", value);
    return JobSpecParser.parse(tree.toString());
  }

  private static List<S3Tag> retagged(List<S3Tag> tags, String value) {
    List<S3Tag> out = new ArrayList<>();
    for (S3Tag t : tags) {
      if (!TAG.equals(t.key())) {
        out.add(t);
      }
    }
    out.add(new S3Tag(TAG, value));
    return out;
  }

  private static Optional<String> tag(JobRecord job) {
    return job.tags().stream().filter(t -> TAG.equals(t.key())).map(S3Tag::value)
        .filter(v -> v.startsWith(PREFIX)).findFirst();
  }

  /**
   * StartJobRun's token takes 1 to 64 of {@code [A-Za-z0-9._-]}: the job's own token when it
   * fits (the triggers' do), else a digest of it, so that two tokens never share one.
   */
  static String clientToken(String clientRequestToken) {
    if (clientRequestToken.matches("[A-Za-z0-9._-]{1,64}")) {
      return clientRequestToken;
    }
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
          clientRequestToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "s3batch-" + java.util.HexFormat.of().formatHex(d).substring(0, 56);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
