package io.github.s3batchspark.notify;

import java.util.regex.Pattern;

/**
 * Where a trigger hands its jobs to run on EMR Serverless, as {@code
 * scripts/submit-emr-serverless} starts a run: the application, the role the run runs as, the
 * shaded jar, and where the run's logs go.
 *
 * @param applicationId         the EMR Serverless application (type SPARK)
 * @param executionRoleArn      the role the job run runs as (it keeps the job store)
 * @param jar                   the shaded jar on S3 ({@code s3://bucket/path.jar})
 * @param sparkSubmitParameters {@code --class} of the main class and any {@code --conf}
 * @param logUri                where the run's logs go ({@code s3://...}), or null for none
 */
public record EmrServerless(String applicationId, String executionRoleArn, String jar,
    String sparkSubmitParameters, String logUri) {
  private static final Pattern APPLICATION = Pattern.compile("[0-9a-z]{1,64}");
  private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/.+");
  private static final Pattern S3_URI = Pattern.compile("s3://[^/\\s]+/\\S+");

  /** @throws IllegalArgumentException naming the value that is wrong and the form expected */
  public EmrServerless {
    check(applicationId != null && APPLICATION.matcher(applicationId).matches(),
        "--emr-serverless-application " + applicationId + ": expected the application's id, "
            + "lower-case letters and digits, such as 00fabcdexample01");
    check(executionRoleArn != null && ROLE.matcher(executionRoleArn).matches(),
        "--emr-serverless-role " + executionRoleArn + ": expected arn:aws:iam::ACCOUNT:role/NAME");
    check(jar != null && S3_URI.matcher(jar).matches() && jar.endsWith(".jar"),
        "--emr-serverless-jar " + jar + ": expected the shaded jar on S3, s3://BUCKET/PATH.jar");
    check(logUri == null || S3_URI.matcher(logUri).matches() || logUri.matches("s3://[^/\\s]+/?"),
        "--emr-serverless-log-uri " + logUri + ": expected s3://BUCKET/PREFIX/");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
