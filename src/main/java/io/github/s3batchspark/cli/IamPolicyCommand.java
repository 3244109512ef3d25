package io.github.s3batchspark.cli;

import io.github.s3batchspark.job.JobRolePolicy;
import io.github.s3batchspark.job.JobSpecParser;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.args4j.Option;

/**
 * {@code iam-policy --cli-input-json file://job.json}: prints the IAM policy document that the
 * job's role needs (stdout, JSON only), built from the job spec without reading the manifest or
 * touching any store.
 */
public final class IamPolicyCommand implements Verb {

  @Option(name = "--cli-input-json", metaVar = "JSON", required = true,
      usage = "the CreateJob request: file://path, or the JSON itself")
  String input;

  @Option(name = "--objects-bucket", metaVar = "BUCKET",
      usage = "a bucket of the manifest's objects (name or ARN; repeatable). A CSV manifest "
          + "names its buckets line by line and is not read: without this flag its objects' "
          + "statements are on arn:aws:s3:::* and say so in their Sid")
  List<String> objectBuckets = new ArrayList<>();

  @Option(name = "--help", aliases = "-h", help = true, usage = "print this verb's options")
  boolean help;

  @Override
  public boolean helpRequested() {
    return help;
  }

  @Override
  public int run(PrintStream out, PrintStream err) {
    if (JobVerb.isHadoopPath(input)) {
      throw new UsageException("--cli-input-json " + input + ": iam-policy reads the job from "
          + "file://PATH or inline JSON; copy it here first (aws s3 cp)");
    }
    out.println(Json.write(JobRolePolicy.of(JobSpecParser.parseArgument(input), objectBuckets)
        .document()));
    return 0;
  }
}
