package io.github.s3batchspark.operation;

import static io.github.s3batchspark.testing.OperationRun.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskError;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3AccessControlList;
import io.github.s3batchspark.job.spec.S3AccessControlPolicy;
import io.github.s3batchspark.job.spec.S3Grant;
import io.github.s3batchspark.job.spec.S3Grantee;
import io.github.s3batchspark.job.spec.S3ObjectOwner;
import io.github.s3batchspark.job.spec.S3SetObjectAclOperation;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Grant;

/**
 * S3PutObjectAcl through the real runner, the ACL read back with GetObjectAcl.
 *
 * <p>S3Mock, because it keeps the AccessControlPolicy body of PutObjectAcl grant for grant
 * (moto reads only the canned and grant headers and drops the body), and it honours the
 * guard's conditional HEAD.
 */
class S3PutObjectAclTest {
  private static final String OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  private final LocalS3Server s3mock = LocalS3Server.s3mock();
  private final S3Client s3 = s3mock.client();
  private final ExecutorClients clients = ExecutorClients.get(s3mock.clientSettings());

  @Test
  void cannedAclReplacesTheObjectsAcl() {
    String bucket = Buckets.create(s3, "acl");
    Buckets.put(s3, bucket, "doc", "x");

    TaskResult r = runOne(canned("public-read"), clients, new ObjectTask(1, bucket, "doc", null,
        null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals("Set canned ACL public-read", r.resultMessage());
    assertTrue(grants(bucket, "doc").contains("READ " + ALL_USERS), grants(bucket, "doc")::toString);
  }

  @Test
  void fullAccessControlListIsSetGrantForGrant() {
    String bucket = Buckets.create(s3, "acl");
    Buckets.put(s3, bucket, "doc", "x");
    var acl = new S3AccessControlList(new S3ObjectOwner(OWNER, null), List.of(
        new S3Grant(new S3Grantee("id", "abc123", null), "READ_ACP"),
        new S3Grant(new S3Grantee("emailAddress", "auditor@example.com", null), "READ"),
        new S3Grant(new S3Grantee("uri", ALL_USERS, null), "READ")));

    TaskResult r = runOne(new S3PutObjectAcl(new S3SetObjectAclOperation(
        new S3AccessControlPolicy(acl, null))), clients, new ObjectTask(1, bucket, "doc", null,
        null));

    assertTrue(r.succeeded(), r::toString);
    assertEquals(Set.of("READ_ACP abc123", "READ auditor@example.com", "READ " + ALL_USERS),
        grants(bucket, "doc"));
    assertEquals(OWNER, s3.getObjectAcl(b -> b.bucket(bucket).key("doc")).owner().id());
  }

  @Test
  void aclOfChangedObjectIsRefusedByEtagGuardAndLeftAlone() {
    String bucket = Buckets.create(s3, "acl");
    String oldEtag = Buckets.put(s3, bucket, "doc", "first");
    Buckets.put(s3, bucket, "doc", "second, after the inventory");
    Set<String> before = grants(bucket, "doc");

    TaskResult r = runOne(canned("public-read"), clients, new ObjectTask(1, bucket, "doc", null,
        oldEtag));

    assertEquals(TaskError.PRECONDITION_FAILED, r.errorCode());
    assertEquals(412, r.httpStatusCode());
    assertEquals(before, grants(bucket, "doc"));
  }

  @Test
  void missingObjectIsAFailedTaskWithS3sCode() {
    String bucket = Buckets.create(s3, "acl");

    TaskResult r = runOne(canned("private"), clients, new ObjectTask(1, bucket, "gone", null,
        null));

    assertEquals(TaskResult.FAILED, r.taskStatus());
    assertEquals("NoSuchKey", r.errorCode());
    assertEquals(404, r.httpStatusCode());
  }

  @Test
  void policyWithBothOrNeitherFormIsRefusedNamingTheField() {
    var both = assertThrows(IllegalArgumentException.class, () -> new S3PutObjectAcl(
        new S3SetObjectAclOperation(new S3AccessControlPolicy(
            new S3AccessControlList(new S3ObjectOwner(OWNER, null), List.of()), "private"))));
    assertTrue(both.getMessage().startsWith("Operation.S3PutObjectAcl.AccessControlPolicy"),
        both.getMessage());
    var noOwner = assertThrows(IllegalArgumentException.class, () -> new S3PutObjectAcl(
        new S3SetObjectAclOperation(new S3AccessControlPolicy(
            new S3AccessControlList(null, List.of()), null))));
    assertTrue(noOwner.getMessage().contains("AccessControlList.Owner.ID"), noOwner.getMessage());
  }

  private static S3PutObjectAcl canned(String acl) {
    return new S3PutObjectAcl(new S3SetObjectAclOperation(new S3AccessControlPolicy(null, acl)));
  }

  /** Each grant as "PERMISSION grantee" (id, email or URI), owner's own grant included. */
  private Set<String> grants(String bucket, String key) {
    return s3.getObjectAcl(b -> b.bucket(bucket).key(key)).grants().stream()
        .map(S3PutObjectAclTest::text).collect(Collectors.toSet());
  }

  private static String text(Grant g) {
    var who = g.grantee();
    String id = who.id() != null ? who.id() : who.emailAddress() != null ? who.emailAddress()
        : who.uri();
    return g.permissionAsString() + " " + id;
  }
}
