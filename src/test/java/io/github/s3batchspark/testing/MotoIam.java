package io.github.s3batchspark.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * IAM as moto_server enforces it when told to ({@code POST /moto-api/reset-auth} with the
 * number of requests it still lets through unchecked, 0 here): from {@link #enforce()} on, every
 * request must be signed by an IAM user's key and be allowed by that user's policies, else moto
 * answers 403 AccessDenied as S3 does. Enforcement is server-wide, so it is only ever switched
 * on for a server of the test's own ({@link LocalS3Server#ownMoto()}); {@link #close()} switches
 * it off again.
 */
public final class MotoIam implements AutoCloseable {
  private static final Pattern PREVIOUS =
      Pattern.compile("\"PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT\":\\s*\"([^\"]+)\"");

  private final LocalS3Server server;
  private final HttpClient http = HttpClient.newHttpClient();
  private String previous;

  /** An access key of an IAM user: what a job's requests are signed with. */
  public record Keys(String accessKeyId, String secretAccessKey) {}

  public MotoIam(LocalS3Server server) {
    this.server = server;
  }

  /** Creates an IAM user with this inline policy (a JSON document) and an access key. */
  public Keys user(String name, String policyJson) {
    try (IamClient iam = iam()) {
      iam.createUser(u -> u.userName(name));
      iam.putUserPolicy(p -> p.userName(name).policyName(name + "-policy")
          .policyDocument(policyJson));
      AccessKey key = iam.createAccessKey(k -> k.userName(name)).accessKey();
      return new Keys(key.accessKeyId(), key.secretAccessKey());
    }
  }

  /**
   * Creates an IAM role that trusts {@code trustPolicyJson}'s principals (moto keeps the trust
   * policy but does not evaluate it) with this inline policy; returns its ARN.
   */
  public String role(String name, String trustPolicyJson, String policyJson) {
    try (IamClient iam = iam()) {
      String arn = iam.createRole(r -> r.roleName(name)
          .assumeRolePolicyDocument(trustPolicyJson)).role().arn();
      iam.putRolePolicy(p -> p.roleName(name).policyName(name + "-policy")
          .policyDocument(policyJson));
      return arn;
    }
  }

  private IamClient iam() {
    return IamClient.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("test", "test")))
        .build();
  }

  /** From now on every request is checked against IAM. */
  public void enforce() {
    previous = resetAuth("0");
  }

  /**
   * Runs {@code work} with these keys as the SDK's default credentials (the system properties
   * that the default chain reads first, which is where the job's clients find their keys).
   */
  public static <T> T signedAs(Keys keys, Supplier<T> work) {
    String id = System.getProperty("aws.accessKeyId");
    String secret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", keys.accessKeyId());
    System.setProperty("aws.secretAccessKey", keys.secretAccessKey());
    try {
      return work.get();
    } finally {
      System.setProperty("aws.accessKeyId", id);
      System.setProperty("aws.secretAccessKey", secret);
    }
  }

  /** Lets every request through unchecked again, as before {@link #enforce()}. */
  @Override
  public void close() {
    if (previous != null) {
      resetAuth(previous);
      previous = null;
    }
  }

  private String resetAuth(String count) {
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
              URI.create(server.endpoint() + "/moto-api/reset-auth"))
          .POST(HttpRequest.BodyPublishers.ofString(count)).build(),
          HttpResponse.BodyHandlers.ofString());
      Matcher m = PREVIOUS.matcher(answer.body());
      if (answer.statusCode() != 200 || !m.find()) {
        throw new IllegalStateException("moto_server did not take reset-auth " + count + ": "
            + answer.statusCode() + " " + answer.body());
      }
      return m.group(1);
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + server.endpoint(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
