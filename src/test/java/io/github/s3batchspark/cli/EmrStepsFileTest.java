package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.testing.AwsCli;
import io.github.s3batchspark.testing.BotocoreShape;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code emr-steps.json} is what {@code aws emr add-steps --cluster-id ID --steps
 * file://emr-steps.json} takes: the AWS CLI's step list (Type, Name, ActionOnFailure, Jar,
 * Args), which the CLI turns into the API's {@code StepConfig} (HadoopJarStep). The API's shape
 * itself is refused by that command ("Unknown parameter ... HadoopJarStep"), so the file keeps
 * the CLI's shape, and the tests check both sides: the CLI takes it and moto's EMR records the
 * step, and the StepConfig the CLI sends conforms to botocore's emr model.
 */
class EmrStepsFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path STEPS = Path.of(System.getProperty("project.basedir", "."),
      "emr-steps.json");
  /** The AWS CLI's own translation of a step list (awscli.customizations.emr.steputils). */
  private static final String STEP_CONFIGS = """
      import json, sys
      from awscli.customizations.emr import steputils
      steps = json.load(open(sys.argv[1]))
      print(json.dumps(steputils.build_step_config_list(parsed_step_list=steps,
          region="us-east-1", release_label="emr-7.5.0")))
      """;
  private static final String NEW_CLUSTER = """
      import boto3
      emr = boto3.client("emr")
      print(emr.run_job_flow(Name="s3batch", ReleaseLabel="emr-7.5.0",
          Applications=[{"Name": "Spark"}], JobFlowRole="EMR_EC2_DefaultRole",
          ServiceRole="EMR_DefaultRole", Instances={"InstanceCount": 1,
          "MasterInstanceType": "m5.xlarge", "KeepJobFlowAliveWhenNoSteps": True})["JobFlowId"])
      """;

  private static LocalS3Server moto;
  private static BotocoreShape stepConfig;

  @TempDir Path dir;

  @BeforeAll
  static void emrOnMotoAndBotocoresStepConfig() {
    moto = LocalS3Server.moto();
    stepConfig = BotocoreShape.of("emr", "StepConfig");
  }

  @Test
  void awsEmrAddStepsTakesTheFileAndEmrRecordsTheSparkSubmitStep() throws Exception {
    String cluster = AwsCli.python(moto.endpoint(), NEW_CLUSTER).ok().strip();

    JsonNode added = JSON.readTree(AwsCli.aws(moto.endpoint(), "emr", "add-steps",
        "--cluster-id", cluster, "--steps", "file://" + STEPS).ok());

    assertEquals(1, added.get("StepIds").size(), added::toString);
    JsonNode steps = JSON.readTree(AwsCli.aws(moto.endpoint(), "emr", "list-steps",
        "--cluster-id", cluster).ok()).get("Steps");
    JsonNode file = JSON.readTree(STEPS.toFile()).get(0);
    assertEquals(1, steps.size(), steps::toString);
    assertEquals(file.get("Name"), steps.get(0).get("Name"));
    assertEquals("command-runner.jar", steps.get(0).get("Config").get("Jar").asText());
    assertEquals(file.get("Args"), steps.get(0).get("Config").get("Args"));
  }

  @Test
  void stepConfigTheCliSendsConformsToBotocoresEmrModel() throws Exception {
    JsonNode configs = stepConfigsOf(STEPS);

    assertEquals(List.of(), stepConfig.problemsOfEach(configs), stepConfig.describe());
    assertEquals("command-runner.jar", configs.get(0).get("HadoopJarStep").get("Jar").asText());
  }

  @Test
  void aMisspeltMemberOrActionOnFailureIsCaughtByTheCliAndByTheModelCheck() throws Exception {
    ObjectNode typo = (ObjectNode) JSON.readTree(STEPS.toFile()).get(0);
    typo.set("ActionOnFailur", typo.remove("ActionOnFailure"));
    Path misspelt = Files.writeString(dir.resolve("typo.json"), "[" + typo + "]");

    AwsCli.Outcome refused = AwsCli.aws(moto.endpoint(), "emr", "add-steps",
        "--cluster-id", "j-ANY", "--steps", "file://" + misspelt);

    assertEquals(255, refused.code(), refused.err());
    assertTrue(refused.err().contains("ActionOnFailur"), refused.err());
    ObjectNode config = (ObjectNode) stepConfigsOf(STEPS).get(0);
    config.put("ActionOnFailure", "CONTINUE_ON_ERROR");
    ((ObjectNode) config.get("HadoopJarStep")).set("Jars",
        ((ObjectNode) config.get("HadoopJarStep")).remove("Jar"));
    assertEquals(List.of(
        "[0].ActionOnFailure: \"CONTINUE_ON_ERROR\" is not one of [\"TERMINATE_JOB_FLOW\","
            + "\"TERMINATE_CLUSTER\",\"CANCEL_AND_WAIT\",\"CONTINUE\"]",
        "[0].HadoopJarStep.Jars: unknown member of HadoopJarStepConfig (members: Properties, "
            + "Jar, MainClass, Args)",
        "[0].HadoopJarStep.Jar: required member missing"),
        stepConfig.problemsOfEach(JSON.createArrayNode().add(config)));
  }

  @Test
  void sparkSubmitRunsTheJarsMainClassWithArgumentsTheRunVerbTakes() throws Exception {
    List<String> args = new ArrayList<>();
    JSON.readTree(STEPS.toFile()).get(0).get("Args").forEach(a -> args.add(a.asText()));
    SparkSubmitLine line = SparkSubmitLine.of(args);

    assertEquals(S3Batch.class.getName(), line.mainClass());
    assertTrue(line.jar().startsWith("s3://") && line.jar().endsWith(".jar"), line.jar());
    assertEquals("run", line.verbAndFlags().get(0));
    RunCommand run = line.parsedRun();
    assertTrue(run.input.startsWith("s3://"), run.input);
    assertTrue(JobVerb.isHadoopPath(run.input), "run reads the job JSON from S3 itself");
  }

  private JsonNode stepConfigsOf(Path steps) throws Exception {
    return JSON.readTree(AwsCli.python(moto.endpoint(), STEP_CONFIGS, steps.toString()).ok());
  }
}
