package io.github.s3batchspark.manifest;

import java.io.Serializable;

/**
 * What describe-job shows of a generated manifest once it is written, Amazon's
 * {@code GeneratedManifestDescriptor}: {@code {"Format": format, "Location": {"ObjectArn":
 * objectArn, "ObjectVersionId": objectVersionId, "ETag": eTag}}}.
 *
 * @param format    always {@code S3InventoryReport_CSV_20211130}
 * @param objectArn the manifest.json object, {@code arn:aws:s3:::bucket/key}
 * @param objectVersionId the manifest.json object's version id when its bucket is versioned,
 *                  else null
 * @param eTag      the manifest.json object's ETag, without quotes
 */
public record GeneratedManifestDescriptor(String format, String objectArn,
    String objectVersionId, String eTag)
    implements Serializable {}
