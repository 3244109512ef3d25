package io.github.s3batchspark.testing;

/**
 * The CreateJob JSON of a job over a CSV manifest ({@code Bucket,Key}) at
 * {@code <bucket>/manifest.csv}, reporting every task to the same bucket: what most job-level
 * tests run, with only the operation changing.
 */
public final class CsvJobJson {
  private CsvJobJson() {}

  /**
   * @param operation    the {@code Operation} member, as JSON
   * @param bucket       where the manifest and the report are
   * @param manifestEtag the manifest object's ETag, unquoted
   * @param reportPrefix the report's {@code Prefix}
   */
  public static String of(String operation, String bucket, String manifestEtag,
      String reportPrefix) {
    return job(operation, bucket, manifestEtag, """
        {"Bucket": "arn:aws:s3:::%s", "Prefix": "%s", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"}"""
        .formatted(bucket, reportPrefix));
  }

  /** The same job without a completion report ({@code "Report": {"Enabled": false}}). */
  public static String unreported(String operation, String bucket, String manifestEtag) {
    return job(operation, bucket, manifestEtag, "{\"Enabled\": false}");
  }

  private static String job(String operation, String bucket, String manifestEtag,
      String report) {
    return """
        {"AccountId": "123456789012",
         "Operation": %s,
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": %s,
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(operation, bucket, manifestEtag, report);
  }
}
