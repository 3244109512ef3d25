package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.JobRunner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.JobClone;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.apache.hadoop.conf.Configuration;
import org.kohsuke.args4j.Option;

/**
 * {@code create-job --cli-input-json file://job.json}: validates the job and records it, printing
 * {@code {"JobId": ...}}. A job with ConfirmationRequired waits in Suspended; the others wait in
 * New until {@code run --job-id} runs them.
 */
public final class CreateJobCommand extends JobVerb {

  @Option(name = "--cli-input-json", metaVar = "JSON",
      usage = "the CreateJob request: file://path, or the JSON itself; with --clone-of, the "
          + "members that replace the earlier job's (Description, Priority, Report...)")
  String input;

  @Option(name = "--clone-of", metaVar = "ID",
      usage = "a new job over the tasks of job ID (see --tasks), its request otherwise the same")
  String cloneOf;

  @Option(name = "--tasks", metaVar = "all|failed|not-run", depends = "--clone-of",
      usage = "which of the earlier job's tasks the clone runs (default all): not-run are those"
          + " a cancelled or failed job never ran")
  String tasks = "all";

  @Option(name = "--manifest-location", metaVar = "S3_URI", depends = "--clone-of",
      usage = "where to write the clone's CSV manifest (default: next to the earlier job's "
          + "report)")
  String manifestLocation;

  @Override
  public int run(PrintStream out, PrintStream err) {
    if (input == null && cloneOf == null) {
      throw new UsageException("create-job needs --cli-input-json (a new job) or --clone-of ID"
          + " (a job over an earlier job's tasks)");
    }
    ClientSettings settings = clientSettings(ClientSettings.defaults());
    JobSpec spec;
    JobStore store;
    if (cloneOf != null) {
      checkJobId(cloneOf);
      JobClone.Tasks which = JobClone.Tasks.parse(tasks);
      SparkSession spark = SparkSessions.forJobs(false);
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      store = openStore(hadoop, settings);
      checkAccount(store.get(cloneOf));
      ObjectNode changes = input == null ? null : readChanges(input, hadoop, settings);
      spec = JobClone.spec(spark, store, cloneOf, which, manifestLocation, changes, settings);
      err.println("Job " + cloneOf + "'s " + which.toString().toLowerCase(java.util.Locale.ROOT)
          .replace('_', '-') + " tasks are the manifest " + spec.tree().at("/Manifest/Location/ObjectArn")
          .asText());
    } else {
      Configuration hadoop = new Configuration();
      spec = readSpec(input, hadoop, settings);
      store = openStore(hadoop, settings);
    }
    JobRecord job = JobRunner.create(store, checkAccount(spec), settings);
    out.println(Json.write(Json.object("JobId", job.jobId())));
    return 0;
  }

  /** The changes a clone gets: any JSON object, checked with the whole request afterwards. */
  private ObjectNode readChanges(String argument, Configuration hadoop,
      ClientSettings settings) {
    try {
      JsonNode tree = new ObjectMapper().readTree(readText(argument, hadoop, settings));
      if (tree == null || !tree.isObject()) {
        throw new UsageException("--cli-input-json with --clone-of must be a JSON object");
      }
      return (ObjectNode) tree;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UsageException("--cli-input-json is not JSON: " + e.getOriginalMessage());
    }
  }
}
