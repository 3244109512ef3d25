package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Settings a user gives through the SDK's environment, system properties or config file reach
 * the executors inside the settings, never through the executors' own environment (on a cluster
 * they have not got the driver's).
 */
class ClientSettingsTest {

  @Test
  void theDriversEnvironmentIsFixedIntoTheSettingsThatTravelToTheExecutors() throws Exception {
    Map<String, String> driver = Map.of("AWS_ENDPOINT_URL_S3", "http://s3.internal:9000",
        "AWS_ENDPOINT_URL", "http://aws.internal:4566", "AWS_REGION", "eu-west-3");

    ClientSettings resolved = ClientSettings.defaults().resolvedOnDriver(driver::get);
    ClientSettings onExecutor = travelled(resolved);

    assertEquals("http://s3.internal:9000", onExecutor.endpointUrl());
    assertEquals("eu-west-3", onExecutor.region());
    assertEquals("http://aws.internal:4566", onExecutor.lambdaEndpointUrl());
    assertEquals("http://aws.internal:4566", onExecutor.stsEndpointUrl());
    assertEquals("http://aws.internal:4566", onExecutor.endpointOf(AwsService.SQS));
    assertEquals("http://aws.internal:4566", onExecutor.endpointOf(AwsService.DYNAMODB));
  }

  @Test
  void everyServiceAnExecutorCallsTakesItsOwnVariableFromTheDriver() throws Exception {
    Map<String, String> driver = new HashMap<>();
    for (AwsService service : AwsService.values()) {
      driver.put(service.environmentVariable(), "http://" + service.configKey() + ".internal:1");
    }
    driver.put("AWS_ENDPOINT_URL", "http://everything-else.internal:1");

    ClientSettings onExecutor = travelled(ClientSettings.defaults().resolvedOnDriver(driver::get));

    for (AwsService service : AwsService.values()) {
      assertEquals("http://" + service.configKey() + ".internal:1",
          onExecutor.endpointOf(service), service.environmentVariable());
    }
  }

  @Test
  void systemPropertiesComeBeforeVariablesAsInTheSdk() {
    Map<String, String> driver = Map.of("aws.endpointUrlDynamoDb", "http://property.internal:1",
        "aws.endpointUrl", "http://all-properties.internal:1",
        "AWS_ENDPOINT_URL_DYNAMODB", "http://variable.internal:1",
        "AWS_ENDPOINT_URL_SQS", "http://sqs-variable.internal:1");

    ClientSettings resolved = ClientSettings.defaults().resolvedOnDriver(driver::get);

    assertEquals("http://property.internal:1", resolved.endpointOf(AwsService.DYNAMODB));
    assertEquals("http://all-properties.internal:1", resolved.endpointOf(AwsService.SQS));
  }

  @Test
  void theProfilesServicesSectionEndpointAndRegionAreFixedIntoTheSettings() throws Exception {
    ProfileFile config = ProfileFile.builder().type(ProfileFile.Type.CONFIGURATION)
        .content(new ByteArrayInputStream("""
            [default]
            region = ap-south-1
            [profile batch]
            region = eu-north-1
            services = local
            endpoint_url = http://profile.internal:4566
            [services local]
            dynamodb =
              endpoint_url = http://dynamodb.internal:8000
            """.getBytes(StandardCharsets.UTF_8))).build();
    SdkEnvironment driver = SdkEnvironment.of(Map.of("AWS_PROFILE", "batch")::get, config);

    ClientSettings onExecutor = travelled(ClientSettings.defaults().resolvedOnDriver(driver));

    assertEquals("http://dynamodb.internal:8000", onExecutor.endpointOf(AwsService.DYNAMODB));
    assertEquals("http://profile.internal:4566", onExecutor.endpointOf(AwsService.SQS));
    assertEquals("http://profile.internal:4566", onExecutor.endpointOf(AwsService.S3));
    assertEquals("eu-north-1", onExecutor.region());
  }

  @Test
  void anEventsEndpointGivenByTheUserWinsOverEachServicesOwn() {
    ClientSettings flags = ClientSettings.defaults().withEventsEndpoint("http://events.local:1");

    ClientSettings resolved = flags.resolvedOnDriver(Map.of("AWS_ENDPOINT_URL_DYNAMODB",
        "http://dynamodb.internal:1")::get);

    assertEquals("http://events.local:1", resolved.endpointOf(AwsService.DYNAMODB));
    assertEquals("http://events.local:1", resolved.endpointOf(AwsService.EMR_SERVERLESS));
    assertNull(resolved.endpointOf(AwsService.LAMBDA));
  }

  @Test
  void explicitSettingsWinOverTheEnvironmentAndNothingIsInventedWhenItIsEmpty() {
    ClientSettings flags = ClientSettings.defaults().withEndpoint("http://127.0.0.1:9090")
        .withRegion("us-west-2");

    ClientSettings resolved = flags.resolvedOnDriver(Map.of("AWS_ENDPOINT_URL_S3",
        "http://elsewhere:1", "AWS_DEFAULT_REGION", "ap-south-1")::get);
    ClientSettings bare = ClientSettings.defaults().resolvedOnDriver(name -> null);

    assertEquals("http://127.0.0.1:9090", resolved.endpointUrl());
    assertEquals("us-west-2", resolved.region());
    assertNull(bare.endpointUrl());
    assertNull(bare.lambdaEndpointUrl());
    for (AwsService service : AwsService.values()) {
      assertNull(bare.endpointOf(service), service.name());
    }
  }

  private static ClientSettings travelled(ClientSettings settings) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(settings);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ClientSettings) in.readObject();
    }
  }
}
