package io.github.s3batchspark.report;

import java.io.Serializable;

/**
 * One CSV file of a completion report, as its {@code manifest.json} lists it.
 *
 * @param taskExecutionStatus {@code succeeded} or {@code failed}: every line of the file has it
 * @param bucket              the report bucket's name
 * @param key                 the file's key, {@code <prefix>/job-<id>/results/<uuid>.csv}
 * @param md5Checksum         MD5 of the file's bytes, lower-case hex
 * @param lines               tasks in the file (ours, not in Amazon's manifest)
 */
public record ResultsFile(
    String taskExecutionStatus, String bucket, String key, String md5Checksum, long lines)
    implements Serializable {}
