package io.github.s3batchspark.cli;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobIdException;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.execution.S3aOptions;
import io.github.s3batchspark.execution.SigningCredentials;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.job.JobSpecException;
import io.github.s3batchspark.job.JobSpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.kohsuke.args4j.Option;

/**
 * The options every job verb takes: where S3 is ({@link AwsVerb}), whose credentials sign, and
 * where the job records are kept.
 */
abstract class JobVerb extends AwsVerb {

  @Option(name = "--credentials", metaVar = "role|caller",
      usage = "whose credentials sign the requests to objects: role (default) assumes the job's "
          + "RoleArn through STS, as Amazon does; caller uses your own, for a store without STS. "
          + "The job spec and the job store always use your own; spark.s3batch.credentials")
  String credentials;

  @Option(name = "--sts-endpoint-url", metaVar = "URL",
      usage = "STS endpoint that assumes the job's role (default: AWS_ENDPOINT_URL_STS, else "
          + "AWS; never the S3 endpoint); spark.s3batch.stsEndpointUrl")
  String stsEndpointUrl;

  @Option(name = "--job-store", metaVar = "PATH",
      usage = "where job records live: a local directory or any Hadoop path such as "
          + "s3a://bucket/prefix (default: ~/.s3batch)")
  String jobStore;

  @Option(name = "--account-id", metaVar = "ID",
      usage = "the account the job belongs to, as aws s3control scripts pass it: a job of "
          + "another account is refused")
  String accountId;

  @Override
  ClientSettings withFlags(ClientSettings base) {
    ClientSettings settings = super.withFlags(base);
    if (credentials != null) {
      try {
        settings = settings.withCredentials(SigningCredentials.parse(credentials,
            "--credentials"));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (stsEndpointUrl != null) {
      settings = settings.withStsEndpoint(stsEndpointUrl);
    }
    return settings;
  }

  /** The job store, with s3a pointed at the same endpoint as the job's clients. */
  JobStore openStore(Configuration hadoop, ClientSettings settings) {
    S3aOptions.configureFor(hadoop, settings, jobStore);
    return HadoopJobStore.open(jobStore, settings, hadoop);
  }

  /** The job, when {@code --account-id} is not given or names the job's account. */
  JobRecord checkAccount(JobRecord job) {
    if (accountId != null && !accountId.equals(job.accountId())) {
      throw new UsageException("--account-id " + accountId + " is not the account of job "
          + job.jobId() + " (" + job.accountId() + "): pass the account the job was created in");
    }
    return job;
  }

  /** The job spec, when {@code --account-id} is not given or names the spec's AccountId. */
  JobSpec checkAccount(JobSpec spec) {
    if (accountId != null && !accountId.equals(spec.request().accountId())) {
      throw new UsageException("--account-id " + accountId + " is not the job JSON's AccountId ("
          + spec.request().accountId() + "): give the same account in both");
    }
    return spec;
  }

  /** Refuses a {@code --job-id} that is no id of ours before anything opens a store or a path. */
  static String checkJobId(String jobId) {
    try {
      return JobRecord.checkJobId(jobId);
    } catch (JobIdException e) {
      throw new UsageException("--job-id " + e.getMessage());
    }
  }

  /**
   * Reads {@code --cli-input-json}: {@code file://path} or the JSON itself, as the AWS CLI does,
   * and also any Hadoop path ({@code s3://}, {@code s3a://}, {@code hdfs://}), so that a cluster
   * step can name a job file kept next to the jar.
   */
  JobSpec readSpec(String input, Configuration hadoop, ClientSettings settings) {
    if (!isHadoopPath(input)) {
      return JobSpecParser.parseArgument(input);
    }
    S3aOptions.configureFor(hadoop, settings, input);
    Path path = new Path(input);
    try (FSDataInputStream in = path.getFileSystem(hadoop).open(path)) {
      return JobSpecParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw JobSpecException.of("cannot read job JSON " + input + ": " + e.getMessage());
    }
  }

  /** The text of a JSON argument: a Hadoop path's content, a file://'s, or the argument. */
  String readText(String input, Configuration hadoop, ClientSettings settings) {
    try {
      if (isHadoopPath(input)) {
        S3aOptions.configureFor(hadoop, settings, input);
        Path path = new Path(input);
        try (FSDataInputStream in = path.getFileSystem(hadoop).open(path)) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      if (input.startsWith("file://")) {
        return java.nio.file.Files.readString(java.nio.file.Path.of(input.substring(7)));
      }
      return input;
    } catch (IOException e) {
      throw new UsageException("cannot read " + input + ": " + e.getMessage());
    }
  }

  /** {@code s3://}, {@code s3a://}, {@code hdfs://}...; not {@code file://} or inline JSON. */
  static boolean isHadoopPath(String input) {
    return !input.startsWith("file://") && input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
  }

  JobStore openStore() {
    ClientSettings settings = clientSettings(ClientSettings.defaults());
    return openStore(new Configuration(), settings);
  }
}
