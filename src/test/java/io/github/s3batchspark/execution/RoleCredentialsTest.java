package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.job.RunSettings;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The credentials choice as settings carry it, and the role providers a JVM keeps. */
class RoleCredentialsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/batch";
  private static final ClientSettings AS_ROLE = ClientSettings.defaults()
      .withRegion("us-east-1").withStsEndpoint("http://127.0.0.1:1");

  @AfterAll
  static void forgetTheProviders() {
    RoleCredentials.closeAll();
  }

  @Test
  void oneRoleProviderPerJobSessionIsSharedByEveryClientOfTheJvm() {
    ClientSettings job = AS_ROLE.forJob(ROLE, "job-1");
    assertSame(RoleCredentials.of(job), RoleCredentials.of(AS_ROLE.forJob(ROLE, "job-1")));
    assertNotSame(RoleCredentials.of(job), RoleCredentials.of(AS_ROLE.forJob(ROLE, "job-2")));
  }

  @Test
  void roleSettingsWithoutABoundRoleBuildNoClient() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RoleCredentials.of(AS_ROLE));
    assertTrue(e.getMessage().contains("caller"), e.getMessage());
  }

  @Test
  void callerCredentialsIgnoreTheJobsRole() {
    ClientSettings caller = AS_ROLE.withCallerCredentials();
    assertEquals(caller, caller.forJob(ROLE, "job-1"));
  }

  @Test
  void sessionNameNamesTheJobWithinStsLimits() {
    String name = AS_ROLE.forJob(ROLE, "a".repeat(80) + "/x").role().sessionName();
    assertEquals(64, name.length());
    assertTrue(name.startsWith("s3batch-aaa"), name);
    assertEquals("s3batch-j-1", AS_ROLE.forJob(ROLE, "j 1").role().sessionName());
  }

  @Test
  void sparkConfChoosesCredentialsAndStsEndpointAndRefusesOtherValuesByName() {
    ClientSettings c = RunSettings.from(new SparkConf(false)
        .set("spark.s3batch.credentials", "caller")
        .set("spark.s3batch.stsEndpointUrl", "http://sts.local")).clients();
    assertEquals(SigningCredentials.CALLER, c.credentials());
    assertEquals("http://sts.local", c.stsEndpointUrl());
    assertEquals(SigningCredentials.ROLE,
        RunSettings.from(new SparkConf(false)).clients().credentials());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.from(new SparkConf(false).set("spark.s3batch.credentials", "mine")));
    assertTrue(e.getMessage().startsWith("spark.s3batch.credentials must be 'role'"),
        e.getMessage());
  }
}
