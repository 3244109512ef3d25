package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestRequestTest {

  @Test
  void objectArnNamesBucketAndKeyWithSlashes() {
    var location = ManifestLocation.fromObjectArn("arn:aws:s3:::my-bucket/jobs/2024/manifest.csv",
        "v1", "\"abc123\"");
    assertEquals("my-bucket", location.bucket());
    assertEquals("jobs/2024/manifest.csv", location.key());
    assertEquals("v1", location.versionId());
    assertEquals("abc123", location.unquotedEtag());
  }

  @Test
  void objectArnOfOtherPartitionsIsAccepted() {
    var location = ManifestLocation.fromObjectArn("arn:aws-cn:s3:::b/k", null, "e");
    assertEquals("b", location.bucket());
    assertNull(location.versionId());
  }

  @Test
  void arnThatIsNotAnObjectIsRefusedNamingTheField() {
    var e = assertThrows(ManifestException.class,
        () -> ManifestLocation.fromObjectArn("arn:aws:s3:::bucket-only", null, "e"));
    assertTrue(e.getMessage().contains("Manifest.Location.ObjectArn"), e.getMessage());
  }

  @Test
  void missingEtagIsRefused() {
    var e = assertThrows(ManifestException.class,
        () -> ManifestLocation.fromObjectArn("arn:aws:s3:::b/k", null, " "));
    assertTrue(e.getMessage().contains("Manifest.Location.ETag"), e.getMessage());
  }

  @Test
  void csvFieldsDefaultToBucketKey() {
    var request = ManifestRequest.csv(new ManifestLocation("b", "k", null, "e"), null);
    assertEquals(List.of(ManifestField.BUCKET, ManifestField.KEY), request.fields());
  }

  @Test
  void fieldsWithoutKeyOrWithTwoBucketsAreRefused() {
    var location = new ManifestLocation("b", "k", null, "e");
    assertThrows(ManifestException.class, () -> ManifestRequest.csv(location,
        List.of(ManifestField.BUCKET, ManifestField.IGNORE)));
    var e = assertThrows(ManifestException.class, () -> ManifestRequest.csv(location,
        List.of(ManifestField.BUCKET, ManifestField.BUCKET, ManifestField.KEY)));
    assertTrue(e.getMessage().contains("[Bucket, Bucket, Key]"), e.getMessage());
  }

  @Test
  void specNamesMapToFormatsAndFields() {
    assertEquals(ManifestFormat.S3_INVENTORY_REPORT,
        ManifestFormat.fromSpec("S3InventoryReport_CSV_20161130"));
    assertEquals(ManifestField.VERSION_ID, ManifestField.fromSpec("VersionId"));
    var e = assertThrows(ManifestException.class, () -> ManifestFormat.fromSpec("JSON"));
    assertTrue(e.getMessage().contains("S3BatchOperations_CSV_20180820"), e.getMessage());
  }

  @Test
  void blankWhereMeansNoFilter() {
    var request = ManifestRequest.inventory(new ManifestLocation("b", "k", null, "e"))
        .withWhere("  ");
    assertNull(request.where());
  }

  @Test
  void inventoryColumnNamesBecomeCanonicalSnakeCase() {
    assertEquals("version_id", ManifestSchema.canonicalName("VersionId"));
    assertEquals("is_delete_marker", ManifestSchema.canonicalName(" IsDeleteMarker"));
    assertEquals("last_modified_date", ManifestSchema.canonicalName("LastModifiedDate"));
    assertEquals("etag", ManifestSchema.canonicalName("ETag"));
    assertEquals("etag", ManifestSchema.canonicalName("e_tag"));
    assertEquals("storage_class", ManifestSchema.canonicalName("storage_class"));
    assertEquals("object_lock_retain_until_date",
        ManifestSchema.canonicalName("ObjectLockRetainUntilDate"));
    assertEquals("bucket_key_status", ManifestSchema.canonicalName("BucketKeyStatus"));
  }
}
