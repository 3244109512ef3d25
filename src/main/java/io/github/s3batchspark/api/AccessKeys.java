package io.github.s3batchspark.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access keys whose SigV4 signatures the API accepts: access key id to secret. Read from a
 * file of {@code ACCESS_KEY_ID SECRET_ACCESS_KEY} lines (blank lines and {@code #} comments
 * ignored), or one pair. Never printed: {@link #toString()} names the key ids only.
 */
public final class AccessKeys {
  private final Map<String, String> secrets;

  private AccessKeys(Map<String, String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("no access keys: the API would let no one in");
    }
    this.secrets = Map.copyOf(secrets);
  }

  public static AccessKeys of(String accessKeyId, String secretAccessKey) {
    return new AccessKeys(Map.of(accessKeyId, secretAccessKey));
  }

  /**
   * Reads a keys file.
   *
   * @throws IllegalArgumentException naming the file and line that is not {@code ID SECRET}, or
   *     the file when it cannot be read or holds no key
   */
  public static AccessKeys fromFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read access keys file " + file + ": "
          + e.getMessage());
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] pair = line.split("\\s+");
      if (pair.length != 2) {
        throw new IllegalArgumentException("access keys file " + file + " line " + (i + 1)
            + ": expected ACCESS_KEY_ID SECRET_ACCESS_KEY separated by a space");
      }
      secrets.put(pair[0], pair[1]);
    }
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("access keys file " + file + " holds no key: add a "
          + "line ACCESS_KEY_ID SECRET_ACCESS_KEY");
    }
    return new AccessKeys(secrets);
  }

  /** The secret of {@code accessKeyId}, or null when it is not one of ours. */
  String secretOf(String accessKeyId) {
    return secrets.get(accessKeyId);
  }

  @Override
  public String toString() {
    return "access keys " + secrets.keySet();
  }
}
