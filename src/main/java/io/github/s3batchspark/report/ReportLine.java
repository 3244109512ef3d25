package io.github.s3batchspark.report;

import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * One line of a completion report's results file, as Amazon writes it.
 *
 * <p>What Amazon's files hold, learnt from the reports it writes (its documentation's examples
 * and reports quoted in public projects), not only from the schema it names:
 * <ul>
 *   <li>no header; one task a line, lines end with {@code \n};</li>
 *   <li>the fields are Bucket, Key, VersionId, TaskStatus, <em>HTTPStatusCode, ErrorCode</em>,
 *       ResultMessage: the status code comes before the error code in every row
 *       ({@code ...,failed,200,PermanentFailure,...}, {@code ...,succeeded,200,,...}), although
 *       the manifest's {@code ReportSchema} names ErrorCode first. We write both as Amazon does,
 *       so that tools written against real reports read ours;</li>
 *   <li>the key is URL-encoded as in an S3 request path: UTF-8 bytes percent-encoded except the
 *       unreserved characters and {@code /}, so a space is {@code %20} and {@code +} is
 *       {@code %2B}. Either a plain or a form ({@code +}-as-space) URL decoder gives the exact key
 *       back, and the file works as a CSV manifest of a new job, whose keys are URL-encoded too;
 *       </li>
 *   <li>a missing value is an empty field; a field with a comma, a double quote or a line break
 *       is in double quotes, its quotes doubled (RFC 4180).</li>
 * </ul>
 */
final class ReportLine {
  private ReportLine() {}

  /**
   * The line of one task, with its {@code \n}.
   *
   * @param httpStatusCode null or 0 when the task got no HTTP answer
   */
  static String of(String bucket, String key, String versionId, String taskStatus,
      Integer httpStatusCode, String errorCode, String resultMessage) {
    StringBuilder line = new StringBuilder(128);
    field(line, bucket).append(',');
    field(line, encodeKey(key)).append(',');
    field(line, versionId).append(',');
    field(line, taskStatus).append(',');
    field(line, httpStatusCode == null || httpStatusCode == 0 ? null
        : httpStatusCode.toString()).append(',');
    field(line, errorCode).append(',');
    field(line, resultMessage);
    return line.append('\n').toString();
  }

  /**
   * The key as the report writes it: percent-encoded UTF-8, slashes kept. A key of unreserved
   * characters and slashes only, as most are, is its own encoding: it is written as it is,
   * without the SDK's encoder, which copies and rescans every key (a report has a line per
   * object).
   */
  static String encodeKey(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (!keptAsItIs(key.charAt(i))) {
        return SdkHttpUtils.urlEncodeIgnoreSlashes(key);
      }
    }
    return key;
  }

  /** RFC 3986's unreserved characters, and the slash the report keeps. */
  private static boolean keptAsItIs(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
  }

  private static StringBuilder field(StringBuilder line, String value) {
    if (value == null || value.isEmpty()) {
      return line;
    }
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return line.append(value);
    }
    return line.append('"').append(value.replace("\"", "\"\"")).append('"');
  }
}
