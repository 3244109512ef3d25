package io.github.s3batchspark.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.job.spec.JobOperation;
import io.github.s3batchspark.job.spec.S3CopyObjectOperation;
import io.github.s3batchspark.job.spec.S3DeleteObjectTaggingOperation;
import io.github.s3batchspark.job.spec.S3Grant;
import io.github.s3batchspark.job.spec.S3Grantee;
import io.github.s3batchspark.job.spec.S3ObjectMetadata;
import io.github.s3batchspark.job.spec.S3SetObjectAclOperation;
import io.github.s3batchspark.job.spec.S3SetObjectTaggingOperation;
import io.github.s3batchspark.job.spec.S3Tag;
import io.github.s3batchspark.testing.CopySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The factory and the job-spec checks made before any object is touched (no server needed). */
class OperationFactoryTest {

  @Test
  void eachSupportedOperationIsBuiltFromItsSpec() {
    assertEquals("S3PutObjectCopy", OperationFactory.create(
        copy(CopySpec.to("dst").build())).name());
    assertEquals("S3PutObjectTagging", OperationFactory.create(operation(null,
        new S3SetObjectTaggingOperation(List.of(new S3Tag("a", "b"))), null, null)).name());
    assertInstanceOf(S3DeleteObjectTagging.class, OperationFactory.create(operation(null,
        null, new S3DeleteObjectTaggingOperation(), null)));
  }

  @Test
  void taggingWithoutTagSetIsAccepted() {
    assertEquals("S3PutObjectTagging", OperationFactory.create(operation(null,
        new S3SetObjectTaggingOperation(null), null, null)).name());
  }

  @Test
  void specNamingNoOperationOrTwoIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> OperationFactory.create(operation(null, null, null, null)));
    var two = assertThrows(IllegalArgumentException.class, () -> OperationFactory.create(
        operation(CopySpec.to("dst").build(), null, new S3DeleteObjectTaggingOperation(),
            null)));
    assertTrue(two.getMessage().contains("S3PutObjectCopy"), two.getMessage());
  }

  @Test
  void copyTargetMustBeAGeneralPurposeOrDirectoryBucketArn() {
    assertRefused("TargetResource", CopySpec.toResource("dst-bucket").build());
    assertRefused("TargetResource", CopySpec.toResource("arn:aws:s3:::dst/with/key").build());
    assertEquals("other-bucket", new S3PutObjectCopy(
        CopySpec.toResource("arn:aws-cn:s3:::other-bucket").build()).copyRequest(
            new ObjectTask(1, "src", "k", null, null))
        .destinationBucket());
    assertEquals("fast--usw2-az1--x-s3", new S3PutObjectCopy(CopySpec.toResource(
        "arn:aws:s3express:us-west-2:123456789012:bucket/fast--usw2-az1--x-s3").build())
        .copyRequest(new ObjectTask(1, "src", "k", null, null)).destinationBucket());
  }

  @Test
  void copySettingsThatS3WouldRefuseAreRefusedBeforeAnyObjectIsTouched() {
    assertRefused("AccessControlGrants", CopySpec.to("dst").grants(List.of(
        new S3Grant(new S3Grantee("id", "abc", null), "WRITE"))).build());
    assertRefused("AccessControlGrants", CopySpec.to("dst").grants(List.of(
        new S3Grant(new S3Grantee("group", "abc", null), "READ"))).build());
    assertRefused("StorageClass", CopySpec.to("dst").storageClass("FAST").build());
    assertRefused("MetadataDirective", CopySpec.to("dst").metadataDirective("MERGE").build());
    assertRefused("SSEAwsKmsKeyId", CopySpec.to("dst").kmsKeyId("key").newMetadata(
        new S3ObjectMetadata(null, null, null, null, null, null, null, null, null, null,
            "AES256")).build());
  }

  @Test
  void operationsSurviveJavaSerializationAsSparkShipsThemToExecutors() throws Exception {
    var spec = CopySpec.to("dst").prefix("p/").grants(List.of(
        new S3Grant(new S3Grantee("id", "abc", null), "READ"))).newTagging(List.of(
        new S3Tag("a", "b"))).build();
    for (ObjectOperation op : List.of(new S3PutObjectCopy(spec), new S3DeleteObjectTagging())) {
      var bytes = new ByteArrayOutputStream();
      try (var out = new ObjectOutputStream(bytes)) {
        out.writeObject(op);
      }
      try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        assertEquals(op.name(), ((ObjectOperation) in.readObject()).name());
      }
    }
  }

  private static void assertRefused(String field, S3CopyObjectOperation spec) {
    var e = assertThrows(IllegalArgumentException.class, () -> OperationFactory.create(copy(spec)));
    assertTrue(e.getMessage().contains("S3PutObjectCopy." + field), e.getMessage());
  }

  private static JobOperation copy(S3CopyObjectOperation spec) {
    return operation(spec, null, null, null);
  }

  private static JobOperation operation(S3CopyObjectOperation copy,
      S3SetObjectTaggingOperation tagging, S3DeleteObjectTaggingOperation deleteTagging,
      S3SetObjectAclOperation acl) {
    return new JobOperation(null, copy, acl, tagging, deleteTagging, null, null, null, null, null,
        null, null, null,
        null);
  }
}
