package io.github.s3batchspark.job;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/** The rows of a job's completion report, read back from the report bucket (prefix "reports"). */
final class ReportLines {
  private ReportLines() {}

  static List<String> of(S3Client s3, String reportBucket, JobRecord job) {
    String prefix = "reports/job-" + job.jobId() + "/results/";
    List<String> lines = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(reportBucket).prefix(prefix)).contents()
        .forEach(o -> s3.getObjectAsBytes(b -> b.bucket(reportBucket).key(o.key()))
            .asUtf8String().lines().forEach(lines::add));
    return lines;
  }
}
