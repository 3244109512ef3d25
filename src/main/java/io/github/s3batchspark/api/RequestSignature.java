package io.github.s3batchspark.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Checks a request's AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 ...}) as S3
 * Control does: the key must be one of ours, the scope's service {@code s3} (the region is the
 * scope's own), the time within 15 minutes of ours, the body the one whose hash was signed.
 *
 * <p>The expected signature is computed by the AWS SDK's own signer over the request as it
 * arrived (the headers the client signed, the path as sent, the time the client signed at), so
 * that SigV4's canonical form is written once, by the SDK, not a second time here.
 */
final class RequestSignature {
  static final String SERVICE = "s3";
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern AUTHORIZATION = Pattern.compile(
      ALGORITHM + "\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*"
          + "Signature=([0-9a-f]{64})\\s*");
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private final AccessKeys keys;
  private final Clock clock;

  RequestSignature(AccessKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * Returns the access key id that signed {@code request}.
   *
   * @throws ApiError 403 AccessDenied (unsigned, or not SigV4 in the header),
   *     InvalidAccessKeyId, RequestTimeTooSkewed or SignatureDoesNotMatch; 400
   *     XAmzContentSHA256Mismatch when the body is not the one signed
   */
  String verify(ApiRequest request) {
    Matcher auth = authorization(request);
    String[] scope = auth.group(1).split("/");
    if (scope.length != 5 || !scope[4].equals("aws4_request")) {
      throw signatureMismatch("the credential scope " + auth.group(1) + " is not "
          + "KEY/DATE/REGION/s3/aws4_request");
    }
    String secret = keys.secretOf(scope[0]);
    if (secret == null) {
      throw new ApiError(403, "InvalidAccessKeyId", "The AWS access key id " + scope[0]
          + " is not one this server accepts: use a key of its access keys file");
    }
    if (!scope[3].equals(SERVICE)) {
      throw signatureMismatch("the credential is scoped to service " + scope[3]
          + ", not s3 (S3 Control signs as s3)");
    }
    Instant signedAt = signedAt(request, scope[1]);
    boolean unsignedPayload = checkPayloadHash(request);
    String expected = expectedSignature(request, auth.group(2), scope, secret, signedAt,
        unsignedPayload);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        auth.group(3).getBytes(StandardCharsets.US_ASCII))) {
      throw signatureMismatch("The request signature we calculated does not match the "
          + "signature you provided. Check your key and signing method.");
    }
    return scope[0];
  }

  private static Matcher authorization(ApiRequest request) {
    String header = request.header("authorization");
    if (header == null) {
      boolean presigned = request.rawQuery() != null
          && request.rawQuery().contains("X-Amz-Signature=");
      throw ApiError.accessDenied(presigned
          ? "Presigned URLs are not accepted here: sign the request's Authorization header"
          : "Access Denied: the request is not signed; sign it with AWS Signature Version 4 "
              + "and one of the server's access keys");
    }
    Matcher m = AUTHORIZATION.matcher(header);
    if (!m.matches()) {
      throw ApiError.accessDenied("Access Denied: the Authorization header is not AWS Signature"
          + " Version 4 (" + ALGORITHM + " Credential=..., SignedHeaders=..., Signature=...)");
    }
    return m;
  }

  private Instant signedAt(ApiRequest request, String scopeDate) {
    String amzDate = request.header("x-amz-date");
    Instant at;
    try {
      at = amzDate == null ? null : Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      at = null;
    }
    if (at == null || !amzDate.startsWith(scopeDate)) {
      throw ApiError.accessDenied("Access Denied: X-Amz-Date is missing, malformed or not the "
          + "credential scope's date " + scopeDate);
    }
    if (Duration.between(at, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
      throw new ApiError(403, "RequestTimeTooSkewed", "The difference between the request time "
          + amzDate + " and the server's time " + AMZ_DATE.format(clock.instant())
          + " is more than 15 minutes: set the client's clock right");
    }
    return at;
  }

  /** Whether the payload is unsigned; refuses a body whose hash is not the signed one. */
  private static boolean checkPayloadHash(ApiRequest request) {
    String claimed = request.header("x-amz-content-sha256");
    if (UNSIGNED_PAYLOAD.equals(claimed)) {
      return true;
    }
    if (claimed != null && !claimed.equalsIgnoreCase(sha256(request.body()))) {
      throw new ApiError(400, "XAmzContentSHA256Mismatch", "The provided "
          + "'x-amz-content-sha256' header does not match what was computed.");
    }
    return false;
  }

  private static String expectedSignature(ApiRequest request, String signedHeaders,
      String[] scope, String secret, Instant signedAt, boolean unsignedPayload) {
    SignedRequest signed = SIGNER.sign(r -> r
        .identity(AwsCredentialsIdentity.create(scope[0], secret))
        .request(asSigned(request, List.of(signedHeaders.split(";"))))
        .payload(ContentStreamProvider.fromByteArrayUnsafe(request.body()))
        .putProperty(AwsV4HttpSigner.REGION_NAME, scope[2])
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedPayload)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
    Matcher ours = AUTHORIZATION.matcher(signed.request().firstMatchingHeader("Authorization")
        .orElseThrow());
    if (!ours.matches() || !ours.group(2).equals(signedHeaders)) {
      throw signatureMismatch("the signed headers " + signedHeaders + " cannot be checked "
          + "(this server signs " + (ours.matches() ? ours.group(2) : "?") + ")");
    }
    return ours.group(3);
  }

  /** The request as the client signed it: its path and query as sent, its signed headers. */
  private static SdkHttpRequest asSigned(ApiRequest request, List<String> signedHeaders) {
    String host = request.header("host");
    if (host == null) {
      throw signatureMismatch("the request has no Host header, which SigV4 signs");
    }
    SdkHttpRequest.Builder b = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(request.method()))
        .protocol("http")
        .encodedPath(request.rawPath());
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon) {
      b.host(host.substring(0, colon)).port(Integer.parseInt(host.substring(colon + 1)));
    } else {
      b.host(host);
    }
    request.query().forEach(b::putRawQueryParameter);
    for (String name : signedHeaders) {
      List<String> values = request.headers().get(name);
      if (values != null) {
        b.putHeader(name, values);
      }
    }
    return b.build();
  }

  static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static ApiError signatureMismatch(String message) {
    return new ApiError(403, "SignatureDoesNotMatch", message);
  }
}
