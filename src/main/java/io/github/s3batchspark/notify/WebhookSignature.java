package io.github.s3batchspark.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a webhook receiver checks to know a notice came from us, unaltered: header
 * {@value #HEADER} is {@code sha256=} and the hex HMAC-SHA256 of the body's bytes under the
 * shared secret (the form GitHub's webhooks use, so existing receivers can check it).
 */
public final class WebhookSignature {
  public static final String HEADER = "X-S3Batch-Signature-256";

  private WebhookSignature() {}

  public static String of(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
