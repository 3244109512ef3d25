package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Settings a user gives through the SDK's environment reach the executors inside the settings,
 * never through the executors' own environment (on a cluster they have not got the driver's).
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
    assertEquals("http://aws.internal:4566", onExecutor.eventsEndpointUrl());
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
