package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.job.spec.S3Retention;
import io.github.s3batchspark.job.spec.S3SetObjectRetentionOperation;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.PutObjectRetentionRequest;

/**
 * Sets the Object Lock retention of each object (S3PutObjectRetention): a mode (GOVERNANCE or
 * COMPLIANCE) and a retain-until date, optionally bypassing a governance retention that the new
 * setting would shorten. A Retention with neither field removes a governance retention (S3
 * allows that only with BypassGovernanceRetention).
 *
 * <p>A bucket without Object Lock refuses every task (400 InvalidRequest), which the report
 * shows per object; the job itself does not fail. PutObjectRetention has no precondition
 * header, so a guarded task goes through the {@link EtagGuard} first.
 */
public final class S3PutObjectRetention implements ObjectOperation {
  private static final String FIELD = "Operation.S3PutObjectRetention";

  private final S3Retention retention;
  private final boolean bypassGovernance;

  public S3PutObjectRetention(S3SetObjectRetentionOperation spec) {
    Objects.requireNonNull(spec, "S3PutObjectRetention");
    this.retention = SpecField.required(FIELD + ".Retention", spec.retention());
    this.bypassGovernance = Boolean.TRUE.equals(spec.bypassGovernanceRetention());
    SpecField.oneOf(FIELD + ".Retention.Mode", retention.mode(),
        Set.of("GOVERNANCE", "COMPLIANCE"));
    if ((retention.mode() == null) != (retention.retainUntilDate() == null)) {
      throw new IllegalArgumentException(FIELD + ".Retention: Mode and RetainUntilDate go "
          + "together (both to set a retention, neither to remove one), got only "
          + (retention.mode() == null ? "RetainUntilDate" : "Mode"));
    }
  }

  /** Amazon's service also reads the bucket's Object Lock configuration; we keep it listed. */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(bypassGovernance
            ? objects.onObjects("SetObjectRetentionBypassingGovernance",
                "s3:PutObjectRetention", "s3:BypassGovernanceRetention")
            : objects.onObjects("SetObjectRetention", "s3:PutObjectRetention"),
        objects.onBuckets("ReadObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"));
  }

  @Override
  public String name() {
    return "S3PutObjectRetention";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    return EtagGuard.write(task, clients.s3(),
            version -> clients.s3().putObjectRetention(request(task, version)))
        .thenApply(r -> new OperationResult(r.sdkHttpResponse().statusCode(),
            "Retention set to " + retentionText()));
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would set retention " + retentionText() + " on " + Describe.object(task);
  }

  private PutObjectRetentionRequest request(ObjectTask task, String version) {
    return PutObjectRetentionRequest.builder()
        .bucket(task.bucket())
        .key(task.key())
        .versionId(version)
        .retention(ObjectLockRetention.builder()
            .mode(retention.mode())
            .retainUntilDate(retention.retainUntilDate())
            .build())
        .bypassGovernanceRetention(bypassGovernance ? Boolean.TRUE : null)
        .build();
  }

  private String retentionText() {
    String what = retention.mode() == null ? "none"
        : retention.mode() + " until " + retention.retainUntilDate();
    return bypassGovernance ? what + " (bypassing governance retention)" : what;
  }
}
