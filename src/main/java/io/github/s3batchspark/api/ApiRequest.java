package io.github.s3batchspark.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as it arrived: the method, the path and query exactly as sent (still
 * percent-encoded, as SigV4 signs them), the headers under lower-case names, and the body.
 */
record ApiRequest(String method, String rawPath, String rawQuery,
    Map<String, List<String>> headers, byte[] body) {

  /** The query's parameters, percent-decoded, in the order sent. */
  Map<String, List<String>> query() {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        params.computeIfAbsent(decode(eq < 0 ? pair : pair.substring(0, eq)),
            k -> new ArrayList<>()).add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return params;
  }

  /** Percent-decoding only: a {@code +} in a SigV4-signed URL is a plus sign, not a space. */
  static String decode(String encoded) {
    return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The first value of a header (name in lower case), or null. */
  String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
