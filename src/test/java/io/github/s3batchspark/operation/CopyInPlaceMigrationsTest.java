package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3ObjectMetadata;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CopySpec;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The migrations users run as S3PutObjectCopy jobs onto the objects' own bucket: a storage
 * class change, and SSE-S3 to SSE-KMS with a new key and back. Each keeps the content, metadata
 * and tags (COPY directives), and the ACL the job gives again (CopyObject resets it, on Amazon
 * as here, so a job that must keep a public-read ACL names it).
 *
 * <p>moto, because it keeps storage classes, SSE-KMS key ids and canned ACLs through a copy.
 */
class CopyInPlaceMigrationsTest {
  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  private static final String KEY_1 =
      "arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444";
  private static final String KEY_2 =
      "arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-1111-2222-3333-444444444444";

  private final LocalS3Server moto = LocalS3Server.moto();
  private final S3Client s3 = moto.client();
  private final ExecutorClients clients = ExecutorClients.get(moto.clientSettings());

  @Test
  void storageClassChangeKeepsMetadataTagsAndTheAclTheJobNames() {
    String bucket = publicObject("tiering");

    TaskResult r = runOne(new S3PutObjectCopy(CopySpec.to(bucket).storageClass("STANDARD_IA")
        .cannedAcl("public-read").build()), clients, new ObjectTask(1, bucket, "doc", null, null));

    assertTrue(r.succeeded(), r::toString);
    HeadObjectResponse head = head(bucket);
    assertEquals("STANDARD_IA", head.storageClassAsString());
    assertKept(bucket, head);
  }

  @Test
  void encryptionMovesFromSseS3ToAKmsKeyToANewKeyAndBack() {
    String bucket = publicObject("reencrypt");
    ObjectTask task = new ObjectTask(1, bucket, "doc", null, null);

    assertTrue(runOne(new S3PutObjectCopy(CopySpec.to(bucket).kmsKeyId(KEY_1)
        .cannedAcl("public-read").build()), clients, task).succeeded());
    assertEquals(KEY_1, head(bucket).ssekmsKeyId());

    assertTrue(runOne(new S3PutObjectCopy(CopySpec.to(bucket).kmsKeyId(KEY_2)
        .cannedAcl("public-read").build()), clients, task).succeeded());
    assertEquals(KEY_2, head(bucket).ssekmsKeyId());

    assertTrue(runOne(new S3PutObjectCopy(CopySpec.to(bucket).newMetadata(new S3ObjectMetadata(
            null, null, null, null, Map.of("team", "finance"), null, null, "text/csv", null,
            null, "AES256")).cannedAcl("public-read").build()), clients, task).succeeded(),
        "back to SSE-S3; S3 needs the metadata given again under REPLACE");
    HeadObjectResponse head = head(bucket);
    assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
    assertNull(head.ssekmsKeyId());
    assertKept(bucket, head);
  }

  private String publicObject(String purpose) {
    String bucket = Buckets.create(s3, purpose);
    s3.putObject(b -> b.bucket(bucket).key("doc").contentType("text/csv")
            .metadata(Map.of("team", "finance")).tagging("class=ledger")
            .serverSideEncryption(ServerSideEncryption.AES256).acl(ObjectCannedACL.PUBLIC_READ),
        RequestBody.fromString("a,b\n1,2\n"));
    return bucket;
  }

  private HeadObjectResponse head(String bucket) {
    return s3.headObject(b -> b.bucket(bucket).key("doc"));
  }

  private void assertKept(String bucket, HeadObjectResponse head) {
    assertEquals("text/csv", head.contentType());
    assertEquals(Map.of("team", "finance"), head.metadata());
    assertEquals(Map.of("class", "ledger"), s3.getObjectTagging(b -> b.bucket(bucket).key("doc"))
        .tagSet().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())));
    assertTrue(s3.getObjectAcl(b -> b.bucket(bucket).key("doc")).grants().stream()
        .anyMatch(g -> ALL_USERS.equals(g.grantee().uri())), "public-read survives");
    assertEquals("a,b\n1,2\n", s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc"))
        .asUtf8String());
  }
}
