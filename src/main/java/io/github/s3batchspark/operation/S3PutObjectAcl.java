package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.job.spec.S3AccessControlList;
import io.github.s3batchspark.job.spec.S3AccessControlPolicy;
import io.github.s3batchspark.job.spec.S3Grant;
import io.github.s3batchspark.job.spec.S3Grantee;
import io.github.s3batchspark.job.spec.S3SetObjectAclOperation;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.PutObjectAclRequest;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Replaces the access control list of each object (S3PutObjectAcl): either a canned ACL, or the
 * full {@code AccessControlList} (owner and grants to canonical user ids, email addresses and
 * group URIs), sent as the PutObjectAcl body exactly as given.
 *
 * <p>PutObjectAcl has no precondition header, so a guarded task goes through the
 * {@link EtagGuard}: the ACL of exactly the version the guard saw is set, or, on a bucket that
 * keeps no versions, the ETag is checked again after the write.
 */
public final class S3PutObjectAcl implements ObjectOperation {
  private static final String FIELD = "Operation.S3PutObjectAcl.AccessControlPolicy";
  private static final Set<String> CANNED = Set.of("private", "public-read",
      "public-read-write", "aws-exec-read", "authenticated-read", "bucket-owner-read",
      "bucket-owner-full-control");

  private final S3AccessControlPolicy policy;

  public S3PutObjectAcl(S3SetObjectAclOperation spec) {
    this.policy = SpecField.required(FIELD, Objects.requireNonNull(spec, "S3PutObjectAcl")
        .accessControlPolicy());
    boolean canned = policy.cannedAccessControlList() != null;
    boolean list = policy.accessControlList() != null;
    if (canned == list) {
      throw new IllegalArgumentException(FIELD + ": give exactly one of CannedAccessControlList "
          + "and AccessControlList, got " + (canned ? "both" : "neither"));
    }
    SpecField.oneOf(FIELD + ".CannedAccessControlList", policy.cannedAccessControlList(), CANNED);
    if (list) {
      checkList(policy.accessControlList());
    }
  }

  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(objects.onObjects("SetObjectAcls", "s3:PutObjectAcl",
        "s3:PutObjectVersionAcl"));
  }

  @Override
  public String name() {
    return "S3PutObjectAcl";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    return EtagGuard.write(task, clients.s3(),
            version -> clients.s3().putObjectAcl(request(task, version)))
        .thenApply(r -> new OperationResult(r.sdkHttpResponse().statusCode(),
            "Set " + policyText()));
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would set " + policyText() + " on " + Describe.object(task);
  }

  private PutObjectAclRequest request(ObjectTask task, String version) {
    PutObjectAclRequest.Builder b = PutObjectAclRequest.builder()
        .bucket(task.bucket())
        .key(task.key())
        .versionId(version);
    if (policy.cannedAccessControlList() != null) {
      return b.acl(ObjectCannedACL.fromValue(policy.cannedAccessControlList())).build();
    }
    S3AccessControlList acl = policy.accessControlList();
    return b.accessControlPolicy(AccessControlPolicy.builder()
            .owner(Owner.builder().id(acl.owner().id()).displayName(acl.owner().displayName())
                .build())
            .grants(grants(acl).stream().map(S3PutObjectAcl::grant).toList())
            .build())
        .build();
  }

  private String policyText() {
    if (policy.cannedAccessControlList() != null) {
      return "canned ACL " + policy.cannedAccessControlList();
    }
    return "an ACL of " + grants(policy.accessControlList()).size() + " grant(s) for owner "
        + policy.accessControlList().owner().id();
  }

  private static List<S3Grant> grants(S3AccessControlList acl) {
    return acl.grants() == null ? List.of() : acl.grants();
  }

  private static Grant grant(S3Grant g) {
    S3Grantee who = g.grantee();
    Grantee.Builder grantee = Grantee.builder().displayName(who.displayName());
    switch (who.typeIdentifier()) {
      case "id" -> grantee.type(Type.CANONICAL_USER).id(who.identifier());
      case "emailAddress" -> grantee.type(Type.AMAZON_CUSTOMER_BY_EMAIL)
          .emailAddress(who.identifier());
      default -> grantee.type(Type.GROUP).uri(who.identifier());
    }
    return Grant.builder().grantee(grantee.build()).permission(g.permission()).build();
  }

  /** S3 refuses an ACL without an owner id, or a grant without a grantee, for every object. */
  private static void checkList(S3AccessControlList acl) {
    String field = FIELD + ".AccessControlList";
    SpecField.required(field + ".Owner.ID", acl.owner() == null ? null : acl.owner().id());
    List<S3Grant> grants = grants(acl);
    for (int i = 0; i < grants.size(); i++) {
      String at = field + ".Grants[" + i + "]";
      S3Grant g = grants.get(i);
      SpecField.required(at + ".Permission", g.permission());
      S3Grantee who = SpecField.required(at + ".Grantee", g.grantee());
      SpecField.required(at + ".Grantee.Identifier", who.identifier());
      SpecField.oneOf(at + ".Grantee.TypeIdentifier",
          SpecField.required(at + ".Grantee.TypeIdentifier", who.typeIdentifier()),
          Set.of("id", "emailAddress", "uri"));
    }
  }
}
