package io.github.s3batchspark.cli;

import io.github.s3batchspark.api.AccessKeys;
import io.github.s3batchspark.api.ApiSettings;
import io.github.s3batchspark.api.S3ControlServer;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.kohsuke.args4j.Option;

/**
 * {@code serve --account-id ID --access-keys FILE [--port N] [--bind ADDRESS]}: answers the
 * s3control job API (CreateJob, DescribeJob, ListJobs, UpdateJobPriority, UpdateJobStatus and
 * job tagging) for boto3, the AWS CLI and the AWS SDKs, on the job store the other verbs use,
 * until SIGTERM. It does not run jobs yet: {@code run --job-id} does.
 */
public final class ServeCommand extends JobVerb {
  static final String KEY_ID_VARIABLE = "S3BATCH_API_ACCESS_KEY_ID";
  static final String SECRET_VARIABLE = "S3BATCH_API_SECRET_ACCESS_KEY";

  @Option(name = "--port", metaVar = "N", usage = "the port to listen on; 0 picks a free one "
      + "(default 0); the URL is printed on stderr")
  int port;

  @Option(name = "--bind", metaVar = "ADDRESS",
      usage = "the address to listen on (default 127.0.0.1: this machine only)")
  String bind = ApiSettings.LOCAL_ONLY;

  @Option(name = "--access-keys", metaVar = "FILE",
      usage = "the keys whose SigV4 signatures are accepted: lines ACCESS_KEY_ID SECRET (default:"
          + " the one pair in " + KEY_ID_VARIABLE + " and " + SECRET_VARIABLE + ")")
  Path accessKeys;

  @Override
  public int run(PrintStream out, PrintStream err) throws InterruptedException {
    ApiSettings api = apiSettings();
    ClientSettings clients = clientSettings(ClientSettings.defaults());
    JobStore store = openStore(new Configuration(), clients);
    S3ControlServer server = S3ControlServer.start(api, store, clients);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      err.println("s3batch API stopped");
      stopped.countDown();
    }, "s3batch-serve-stop"));
    err.println("s3batch API listening on " + server.url());
    err.println("Serving account " + api.accountId() + "'s jobs in " + store.location()
        + "; jobs are not run here yet: run them with s3batch run --job-id ID");
    stopped.await();
    return 0;
  }

  private ApiSettings apiSettings() {
    if (accountId == null) {
      throw new UsageException("serve needs --account-id: the 12-digit account whose jobs it "
          + "serves (clients send it as x-amz-account-id)");
    }
    try {
      return new ApiSettings(bind, port, accountId, keys());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private AccessKeys keys() {
    if (accessKeys != null) {
      return AccessKeys.fromFile(accessKeys);
    }
    String id = System.getenv(KEY_ID_VARIABLE);
    String secret = System.getenv(SECRET_VARIABLE);
    if (id == null || secret == null || id.isBlank() || secret.isBlank()) {
      throw new UsageException("serve needs --access-keys FILE (lines ACCESS_KEY_ID SECRET), or "
          + KEY_ID_VARIABLE + " and " + SECRET_VARIABLE + " set: it lets in no unsigned request");
    }
    return AccessKeys.of(id, secret);
  }
}
