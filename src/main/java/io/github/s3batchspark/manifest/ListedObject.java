package io.github.s3batchspark.manifest;

import java.time.Instant;

/**
 * One object (or one version) as a listing gives it.
 *
 * @param key          the exact key
 * @param versionId    the version id as the manifest addresses it: null for the current object
 *                     (a current-versions listing, or the latest null version), {@code "null"}
 *                     for a noncurrent null version, as our inventory reader does
 * @param latest       whether this is the key's current version
 * @param etag         the ETag without quotes
 * @param size         bytes
 * @param lastModified when this version was written (S3's "creation" time of the version)
 * @param storageClass S3's storage class name ({@code STANDARD} when the listing says none)
 * @param checksumAlgorithm the additional checksum's algorithm ({@code SHA256}, {@code CRC32}...),
 *                     or null when the object has none
 * @param owner        the owner's canonical id, when the listing was asked for it, else null
 */
public record ListedObject(String key, String versionId, boolean latest, String etag, long size,
    Instant lastModified, String storageClass, String checksumAlgorithm, String owner) {

  static String unquoted(String etag) {
    return etag == null ? null : etag.replace("\"", "");
  }
}
