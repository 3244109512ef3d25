package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.AwsCli;
import io.github.s3batchspark.testing.BotocoreShape;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code scripts/submit-emr} and {@code scripts/submit-emr-serverless}: with {@code --dry-run}
 * they print the AWS CLI calls they would make (the two uploads and the submission, whose JSON
 * is the shipped file's once given the same prefix, and conforms to botocore); without it they
 * make those calls, here against moto; a bad or missing flag is one line naming it, exit 2.
 */
class SubmitScriptsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path BASE = Path.of(System.getProperty("project.basedir", "."));
  /** The prefix the shipped files use, so that the scripts' JSON can be compared with them. */
  private static final String PREFIX = "s3://my-artifacts/s3-batch-spark";
  private static final String ROLE = "arn:aws:iam::123456789012:role/s3batch-emr-serverless";
  private static final String APPLICATION = "00fabcdexample01";
  private static final String STEP_CONFIGS = """
      import json, sys
      from awscli.customizations.emr import steputils
      print(json.dumps(steputils.build_step_config_list(parsed_step_list=json.loads(sys.argv[1]),
          region="us-east-1", release_label="emr-7.5.0")))
      """;

  private static LocalS3Server moto;

  @TempDir static Path dir;
  private static Path jar;
  private static Path job;

  @BeforeAll
  static void aJarAndAJob() throws Exception {
    moto = LocalS3Server.moto();
    jar = Files.writeString(dir.resolve("s3-batch-spark.jar"), "not really a jar");
    job = Files.copy(BASE.resolve("conf/demo/tagging-job.json"),
        dir.resolve("tagging-job.json"));
  }

  @Test
  void submitEmrDryRunPrintsTheUploadsAndTheStepOfEmrStepsJson() throws Exception {
    List<List<String>> calls = dryRun("scripts/submit-emr", "--cluster-id", "j-2AXXXXXXGAPLF",
        "--job", job.toString(), "--s3-prefix", PREFIX + "/", "--jar", jar.toString());

    assertUploads(calls);
    List<String> addSteps = calls.get(2);
    assertEquals(List.of("aws", "emr", "add-steps", "--cluster-id", "j-2AXXXXXXGAPLF",
        "--steps"), addSteps.subList(0, 6));
    JsonNode steps = JSON.readTree(addSteps.get(6));
    assertEquals(JSON.readTree(BASE.resolve("emr-steps.json").toFile()), steps);
    BotocoreShape stepConfig = BotocoreShape.of("emr", "StepConfig");
    assertEquals(List.of(), stepConfig.problemsOfEach(JSON.readTree(AwsCli.python(
        moto.endpoint(), STEP_CONFIGS, steps.toString()).ok())), stepConfig.describe());
  }

  @Test
  void submitEmrServerlessDryRunPrintsTheUploadsAndTheRequestOfStartJobRunJson()
      throws Exception {
    List<List<String>> calls = dryRun("scripts/submit-emr-serverless", "--application-id",
        APPLICATION, "--execution-role-arn", ROLE, "--job", job.toString(), "--s3-prefix",
        PREFIX, "--jar", jar.toString());

    assertUploads(calls);
    List<String> start = calls.get(2);
    assertEquals(List.of("aws", "emr-serverless", "start-job-run", "--application-id",
        APPLICATION, "--execution-role-arn", ROLE, "--cli-input-json"), start.subList(0, 8));
    JsonNode request = JSON.readTree(start.get(8));
    assertEquals(JSON.readTree(BASE.resolve("conf/emr-serverless/start-job-run.json").toFile()),
        request);
    BotocoreShape startJobRun = BotocoreShape.input("emr-serverless", "StartJobRun");
    assertEquals(List.of(), startJobRun.problems(request), startJobRun.describe());
  }

  @Test
  void confsAndRunFlagsReachSparkSubmitAndTheRunVerb() throws Exception {
    List<String> confAndFlags = List.of("--conf", "spark.s3batch.maxAttempts=3", "--",
        "--partitions", "400", "--region", "eu-west-1");
    List<String> emr = new ArrayList<>(List.of("scripts/submit-emr", "--cluster-id", "j-1",
        "--job", job.toString(), "--s3-prefix", PREFIX, "--jar", jar.toString()));
    emr.addAll(confAndFlags);
    List<String> serverless = new ArrayList<>(List.of("scripts/submit-emr-serverless",
        "--application-id", APPLICATION, "--execution-role-arn", ROLE, "--job", job.toString(),
        "--s3-prefix", PREFIX, "--jar", jar.toString()));
    serverless.addAll(confAndFlags);

    JsonNode step = JSON.readTree(dryRun(emr.toArray(String[]::new)).get(2).get(6)).get(0);
    JsonNode submit = JSON.readTree(dryRun(serverless.toArray(String[]::new)).get(2).get(8))
        .get("jobDriver").get("sparkSubmit");

    List<String> args = new ArrayList<>();
    step.get("Args").forEach(a -> args.add(a.asText()));
    List<String> arguments = new ArrayList<>();
    submit.get("entryPointArguments").forEach(a -> arguments.add(a.asText()));
    for (SparkSubmitLine line : List.of(SparkSubmitLine.of(args), SparkSubmitLine.of(
        submit.get("sparkSubmitParameters").asText(), submit.get("entryPoint").asText(),
        arguments))) {
      assertEquals("3", line.conf().get("spark.s3batch.maxAttempts"), line::toString);
      assertEquals(S3Batch.class.getName(), line.mainClass());
      RunCommand run = line.parsedRun();
      assertEquals(400, run.partitions);
      assertEquals("eu-west-1", run.region);
      assertEquals(PREFIX + "/jobs/tagging-job.json", run.input);
    }
  }

  @Test
  void badOrMissingFlagsAreOneLineNamingTheFlagAndExitTwoBeforeAnyCall() {
    String[] emr = {"scripts/submit-emr", "--cluster-id", "j-1", "--job", job.toString(),
        "--s3-prefix", PREFIX, "--jar", jar.toString()};
    String[] serverless = {"scripts/submit-emr-serverless", "--application-id", APPLICATION,
        "--execution-role-arn", ROLE, "--job", job.toString(), "--s3-prefix", PREFIX,
        "--jar", jar.toString()};
    Map<List<String>, String> refusals = Map.ofEntries(
        Map.entry(without(emr, "--cluster-id"), "--cluster-id is required"),
        Map.entry(replaced(emr, "--cluster-id", "cluster-1"), "--cluster-id cluster-1:"),
        Map.entry(without(emr, "--job"), "--job is required"),
        Map.entry(replaced(emr, "--job", dir.resolve("none.json").toString()), "--job "),
        Map.entry(replaced(emr, "--s3-prefix", "my-artifacts/x"), "--s3-prefix my-artifacts/x:"),
        Map.entry(without(emr, "--s3-prefix"), "--s3-prefix is required"),
        Map.entry(replaced(emr, "--jar", dir.resolve("no.jar").toString()), "--jar "),
        Map.entry(plus(emr, "--conf", "spark.x"), "--conf needs KEY=VALUE"),
        Map.entry(plus(emr, "--in-flight", "5"), "unknown flag '--in-flight'"),
        Map.entry(plus(emr, "--job-store"), "--job-store needs a value"),
        Map.entry(without(serverless, "--application-id"), "--application-id is required"),
        Map.entry(replaced(serverless, "--application-id", "App-1"), "--application-id App-1:"),
        Map.entry(without(serverless, "--execution-role-arn"),
            "--execution-role-arn is required"),
        Map.entry(replaced(serverless, "--execution-role-arn", "s3batch"),
            "--execution-role-arn s3batch:"),
        Map.entry(plus(serverless, "--conf", "spark.x=a b"), "--conf 'spark.x=a b'"));

    refusals.forEach((command, flag) -> {
      AwsCli.Outcome refused = AwsCli.run(withDryRun(command.toArray(String[]::new)),
          Map.of());
      String script = command.get(0).substring("scripts/".length());
      assertEquals(2, refused.code(), command + ": " + refused.err());
      assertEquals("", refused.out(), command + " printed a call");
      assertEquals(1, refused.err().strip().lines().count(), refused.err());
      assertTrue(refused.err().startsWith(script + ": " + flag), command + ": " + refused.err());
    });
  }

  @Test
  void withoutDryRunTheScriptsUploadAndSubmitToTheServicesTheyName() throws Exception {
    S3Client s3 = moto.client();
    String bucket = Buckets.create(s3, "artifacts");
    String prefix = "s3://" + bucket + "/s3batch";
    String cluster = AwsCli.python(moto.endpoint(), """
        import boto3
        print(boto3.client("emr").run_job_flow(Name="s3batch", ReleaseLabel="emr-7.5.0",
            JobFlowRole="EMR_EC2_DefaultRole", ServiceRole="EMR_DefaultRole",
            Instances={"InstanceCount": 1, "MasterInstanceType": "m5.xlarge",
                       "KeepJobFlowAliveWhenNoSteps": True})["JobFlowId"])
        """).ok().strip();
    String application = JSON.readTree(AwsCli.aws(moto.endpoint(), "emr-serverless",
        "create-application", "--name", "s3batch", "--release-label", "emr-7.5.0",
        "--type", "SPARK").ok()).get("applicationId").asText();
    Map<String, String> toMoto = Map.of("AWS_ENDPOINT_URL", moto.endpoint());

    JsonNode stepIds = JSON.readTree(AwsCli.run(List.of("scripts/submit-emr", "--cluster-id",
        cluster, "--job", job.toString(), "--s3-prefix", prefix, "--jar", jar.toString()),
        toMoto).ok()).get("StepIds");
    JsonNode jobRun = JSON.readTree(AwsCli.run(List.of("scripts/submit-emr-serverless",
        "--application-id", application, "--execution-role-arn", ROLE, "--job",
        job.toString(), "--s3-prefix", prefix, "--jar", jar.toString()), toMoto).ok());

    assertEquals("not really a jar", s3.getObjectAsBytes(b -> b.bucket(bucket)
        .key("s3batch/s3-batch-spark.jar")).asUtf8String());
    assertEquals(Files.readString(job), s3.getObjectAsBytes(b -> b.bucket(bucket)
        .key("s3batch/jobs/tagging-job.json")).asUtf8String());
    JsonNode step = JSON.readTree(AwsCli.aws(moto.endpoint(), "emr", "describe-step",
        "--cluster-id", cluster, "--step-id", stepIds.get(0).asText()).ok()).get("Step");
    assertTrue(step.get("Config").get("Args").toString().contains(prefix + "/jobs/"
        + "tagging-job.json"), step::toString);
    JsonNode run = JSON.readTree(AwsCli.aws(moto.endpoint(), "emr-serverless", "get-job-run",
        "--application-id", application, "--job-run-id", jobRun.get("jobRunId").asText())
        .ok()).get("jobRun");
    assertEquals(prefix + "/s3-batch-spark.jar",
        run.get("jobDriver").get("sparkSubmit").get("entryPoint").asText());
  }

  private static void assertUploads(List<List<String>> calls) {
    assertEquals(3, calls.size(), calls::toString);
    assertEquals(List.of("aws", "s3", "cp", "--only-show-errors", jar.toString(),
        PREFIX + "/s3-batch-spark.jar"), calls.get(0));
    assertEquals(List.of("aws", "s3", "cp", "--only-show-errors", job.toString(),
        PREFIX + "/jobs/tagging-job.json"), calls.get(1));
  }

  /** The calls a dry run prints, each split into words as a shell would read it back. */
  private static List<List<String>> dryRun(String... command) {
    AwsCli.Outcome printed = AwsCli.run(withDryRun(command), Map.of());
    return printed.ok().lines().map(SubmitScriptsTest::words).toList();
  }

  /** Shell words: bare, or in single quotes with {@code '\''} for a quote inside. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\'') {
          quoted = false;
        } else {
          word.append(c);
        }
      } else if (c == '\'') {
        quoted = true;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** {@code --dry-run} first, so that it never becomes one of the flags after {@code --}. */
  private static List<String> withDryRun(String[] command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.add(1, "--dry-run");
    return all;
  }

  private static List<String> plus(String[] command, String... more) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(more));
    return all;
  }

  private static List<String> without(String[] command, String flag) {
    List<String> all = new ArrayList<>(List.of(command));
    int i = all.indexOf(flag);
    all.subList(i, i + 2).clear();
    return all;
  }

  private static List<String> replaced(String[] command, String flag, String value) {
    List<String> all = new ArrayList<>(List.of(command));
    all.set(all.indexOf(flag) + 1, value);
    return all;
  }
}
