package io.github.s3batchspark.api;

import java.util.Objects;

/**
 * How {@code s3batch serve} answers the API.
 *
 * @param bindAddress the address to listen on (127.0.0.1 unless told otherwise)
 * @param port        the port, 0 to have one picked
 * @param accountId   the one account whose jobs the server serves: x-amz-account-id must name it
 * @param keys        the access keys whose signatures are accepted
 */
public record ApiSettings(String bindAddress, int port, String accountId, AccessKeys keys) {
  public static final String LOCAL_ONLY = "127.0.0.1";

  public ApiSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(keys, "keys");
    if (accountId == null || !accountId.matches("\\d{12}")) {
      throw new IllegalArgumentException("account id must be 12 digits, got " + accountId);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
  }
}
