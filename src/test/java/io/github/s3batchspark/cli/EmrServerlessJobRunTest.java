package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3batchspark.testing.AwsCli;
import io.github.s3batchspark.testing.BotocoreShape;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/emr-serverless/start-job-run.json} is the input of {@code aws emr-serverless
 * start-job-run --cli-input-json file://...}: it conforms to botocore's StartJobRunRequest,
 * moto's EMR Serverless records a run with the same driver, and it puts {@code --class} where
 * spark-submit reads it (sparkSubmitParameters), not among the application's arguments, where
 * it reaches our command line and is refused.
 */
class EmrServerlessJobRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path REQUEST = Path.of(System.getProperty("project.basedir", "."),
      "conf", "emr-serverless", "start-job-run.json");

  private static LocalS3Server moto;
  private static JsonNode request;

  @BeforeAll
  static void emrServerlessOnMoto() throws Exception {
    moto = LocalS3Server.moto();
    request = JSON.readTree(REQUEST.toFile());
  }

  @Test
  void startJobRunFileConformsToBotocoresEmrServerlessModel() {
    BotocoreShape startJobRun = BotocoreShape.input("emr-serverless", "StartJobRun");

    assertEquals(List.of(), startJobRun.problems(request), startJobRun.describe());
  }

  @Test
  void awsEmrServerlessStartJobRunTakesTheFileAndRecordsTheSameDriver() throws Exception {
    String application = JSON.readTree(AwsCli.aws(moto.endpoint(), "emr-serverless",
        "create-application", "--name", "s3batch", "--release-label", "emr-7.5.0",
        "--type", "SPARK").ok()).get("applicationId").asText();

    JsonNode started = JSON.readTree(AwsCli.aws(moto.endpoint(), "emr-serverless",
        "start-job-run", "--cli-input-json", "file://" + REQUEST,
        "--application-id", application).ok());

    JsonNode run = JSON.readTree(AwsCli.aws(moto.endpoint(), "emr-serverless", "get-job-run",
        "--application-id", application, "--job-run-id", started.get("jobRunId").asText())
        .ok()).get("jobRun");
    assertEquals(request.get("jobDriver"), run.get("jobDriver"));
    assertEquals(request.get("name"), run.get("name"));
  }

  @Test
  void classIsInSparkSubmitParametersAndTheRunVerbInEntryPointArguments() throws Exception {
    JsonNode submit = request.get("jobDriver").get("sparkSubmit");
    List<String> arguments = texts(submit.get("entryPointArguments"));

    SparkSubmitLine line = SparkSubmitLine.of(submit.get("sparkSubmitParameters").asText(),
        submit.get("entryPoint").asText(), arguments);

    assertEquals(S3Batch.class.getName(), line.mainClass());
    assertTrue(line.jar().startsWith("s3://") && line.jar().endsWith(".jar"), line.jar());
    assertFalse(arguments.contains("--class"), arguments::toString);
    assertTrue(JobVerb.isHadoopPath(line.parsedRun().input), line.parsedRun().input);
  }

  @Test
  void classAmongEntryPointArgumentsReachesOurCommandLineAndIsRefusedWithExitTwo()
      throws Exception {
    List<String> mistaken = new ArrayList<>(List.of("--class", S3Batch.class.getName()));
    mistaken.addAll(texts(request.get("jobDriver").get("sparkSubmit")
        .get("entryPointArguments")));

    CliOutcome refused = CliOutcome.runAsTyped(mistaken.toArray(String[]::new));

    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("\"--class\" is not a valid option"), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(a -> texts.add(a.asText()));
    return texts;
  }
}
