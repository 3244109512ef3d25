package io.github.s3batchspark.cli;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.execution.S3aOptions;
import org.apache.hadoop.conf.Configuration;
import org.kohsuke.args4j.Option;

/** The options every job verb takes: where S3 is, and where the job records are kept. */
abstract class JobVerb implements Verb {

  @Option(name = "--endpoint-url", metaVar = "URL",
      usage = "S3 endpoint (default: AWS_ENDPOINT_URL_S3, else AWS). An IP address or "
          + "localhost is addressed path-style")
  String endpointUrl;

  @Option(name = "--region", metaVar = "REGION",
      usage = "AWS region (default: AWS_REGION / the SDK's region chain, else us-east-1)")
  String region;

  @Option(name = "--job-store", metaVar = "PATH",
      usage = "where job records live: a local directory or any Hadoop path such as "
          + "s3a://bucket/prefix (default: ~/.s3batch)")
  String jobStore;

  @Option(name = "--help", aliases = "-h", help = true, usage = "print this verb's options")
  boolean help;

  @Override
  public boolean helpRequested() {
    return help;
  }

  ClientSettings clientSettings(ClientSettings base) {
    ClientSettings settings = base;
    if (endpointUrl != null) {
      settings = settings.withEndpoint(endpointUrl);
    }
    if (region != null) {
      settings = settings.withRegion(region);
    }
    return settings;
  }

  /** The job store, with s3a pointed at the same endpoint as the job's clients. */
  JobStore openStore(Configuration hadoop, ClientSettings settings) {
    S3aOptions.configureFor(hadoop, settings, jobStore);
    return HadoopJobStore.open(jobStore, hadoop, settings.region());
  }

  JobStore openStore() {
    ClientSettings settings = clientSettings(ClientSettings.defaults());
    return openStore(new Configuration(), settings);
  }
}
