package io.github.s3batchspark.execution;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The credentials that sign a job's requests: the caller's (the SDK's default chain) or the
 * job's role, assumed through STS with the caller's credentials.
 *
 * <p>One role provider per role session, STS endpoint and region in a JVM, shared by every
 * client and partition there (the driver's and an executor's clients alike), so that a job
 * assumes its role once per JVM, not once per partition or object. The SDK's provider renews
 * the session in the background before it expires, so a job may run longer than a session
 * lasts.
 */
public final class RoleCredentials {
  private static final Map<Session, Assumed> ASSUMED = new ConcurrentHashMap<>();
  private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final Pattern ERROR_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

  /** A role session as assumed from one STS endpoint in one region. */
  private record Session(RoleSession role, String stsEndpointUrl, String region) {}

  /** The provider and the STS client it calls (the provider leaves closing it to its owner). */
  private record Assumed(StsClient sts, StsAssumeRoleCredentialsProvider provider) {
    void close() {
      provider.close();
      sts.close();
    }
  }

  private RoleCredentials() {}

  /**
   * What signs requests built from {@code settings}.
   *
   * @throws IllegalStateException when the role is to be assumed but none was bound
   *     ({@link ClientSettings#forJob})
   */
  public static AwsCredentialsProvider of(ClientSettings settings) {
    if (settings.credentials() == SigningCredentials.CALLER) {
      return DefaultCredentialsProvider.builder().build();
    }
    RoleSession role = settings.role();
    if (role == null) {
      throw new IllegalStateException("The job's requests are signed as its RoleArn, but no "
          + "job role was bound to these client settings (ClientSettings.forJob); choose "
          + "credentials 'caller' to sign with your own");
    }
    Session session = new Session(role, settings.stsEndpointUrl(),
        ExecutorClients.region(settings).id());
    return ASSUMED.computeIfAbsent(session, s -> assume(s, settings)).provider();
  }

  /**
   * Proves, before any task runs, that the job's role can be assumed and its credentials are
   * accepted: AssumeRole, then GetCallerIdentity signed with the new session (STS needs no
   * permission for it, so any role that exists passes). Does nothing for the caller's
   * credentials.
   *
   * @throws RoleNotAssumedException naming the role and STS's answer
   */
  public static void check(ClientSettings settings) {
    if (settings.credentials() == SigningCredentials.CALLER) {
      return;
    }
    String roleArn = settings.role() == null ? null : settings.role().roleArn();
    try {
      AwsCredentials session = of(settings).resolveCredentials();
      try (StsClient sts = sts(settings, StaticCredentialsProvider.create(session))) {
        sts.getCallerIdentity();
      }
    } catch (SdkException e) {
      throw new RoleNotAssumedException(roleArn, answer(e), e);
    }
  }

  /** Forgets every assumed role of this JVM (the end of a local run, tests). */
  public static void closeAll() {
    ASSUMED.values().forEach(Assumed::close);
    ASSUMED.clear();
  }

  private static Assumed assume(Session session, ClientSettings settings) {
    // STS is called with the caller's own credentials: the only thing they sign for a job
    StsClient sts = sts(settings, DefaultCredentialsProvider.builder().build());
    return new Assumed(sts, StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(r -> r.roleArn(session.role().roleArn())
            .roleSessionName(session.role().sessionName()))
        // renewed by a thread of its own: a request never waits for STS once a job runs
        .asyncCredentialUpdateEnabled(true)
        .build());
  }

  private static StsClient sts(ClientSettings settings, AwsCredentialsProvider signer) {
    StsClientBuilder builder = StsClient.builder()
        .credentialsProvider(signer)
        .region(ExecutorClients.region(settings));
    String endpoint = settings.stsEndpointUrl();
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }

  private static String answer(SdkException e) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof AwsServiceException)) {
      cause = cause.getCause();
    }
    if (cause instanceof AwsServiceException refused) {
      AwsErrorDetails details = refused.awsErrorDetails();
      if (details != null && details.errorCode() != null) {
        return "HTTP " + refused.statusCode() + " " + details.errorCode() + ": "
            + details.errorMessage();
      }
      return "HTTP " + refused.statusCode() + " " + unparsed(details, refused);
    }
    return e.getMessage();
  }

  /**
   * The code and message of an error body the SDK could not read (some STS-compatible servers
   * nest the error in {@code <Errors>}), else the SDK's own message.
   */
  private static String unparsed(AwsErrorDetails details, AwsServiceException refused) {
    String body = details == null || details.rawResponse() == null ? ""
        : details.rawResponse().asUtf8String();
    Matcher code = ERROR_CODE.matcher(body);
    Matcher message = ERROR_MESSAGE.matcher(body);
    if (code.find()) {
      return code.group(1) + (message.find() ? ": " + message.group(1) : "");
    }
    return refused.getMessage();
  }
}
