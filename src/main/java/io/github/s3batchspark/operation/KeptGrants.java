package io.github.s3batchspark.operation;

import io.github.s3batchspark.job.spec.S3Grant;
import io.github.s3batchspark.job.spec.S3Grantee;
import java.util.List;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * An object's ACL grants as a copy's AccessControlGrants, so that operations that rewrite an
 * object by copying it (re-encryption, replication) keep who may read it: CopyObject itself
 * resets the ACL.
 */
final class KeptGrants {
  private KeptGrants() {}

  /**
   * The grants to give the copy, or null when the ACL only gives the owner full control: that
   * is the default, and buckets with ACLs disabled refuse a copy that sends any grant.
   */
  static List<S3Grant> of(GetObjectAclResponse acl) {
    String owner = acl.owner() == null ? null : acl.owner().id();
    List<S3Grant> grants = acl.grants().stream()
        .filter(g -> g.grantee() != null)
        .map(KeptGrants::grant)
        .toList();
    boolean onlyOwner = grants.stream().allMatch(g -> "FULL_CONTROL".equals(g.permission())
        && "id".equals(g.grantee().typeIdentifier())
        && g.grantee().identifier().equals(owner));
    return onlyOwner ? null : grants;
  }

  private static S3Grant grant(Grant g) {
    var who = g.grantee();
    S3Grantee grantee = who.type() == Type.GROUP ? new S3Grantee("uri", who.uri(), null)
        : who.type() == Type.AMAZON_CUSTOMER_BY_EMAIL
            ? new S3Grantee("emailAddress", who.emailAddress(), null)
            : new S3Grantee("id", who.id(), null);
    return new S3Grant(grantee, g.permissionAsString());
  }
}
