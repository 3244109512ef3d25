package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.job.spec.S3SetObjectLegalHoldOperation;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHold;
import software.amazon.awssdk.services.s3.model.PutObjectLegalHoldRequest;

/**
 * Puts an Object Lock legal hold on each object, or lifts it (S3PutObjectLegalHold, ON or OFF).
 *
 * <p>A bucket without Object Lock refuses every task (400 InvalidRequest), shown per object in
 * the report. PutObjectLegalHold has no precondition header, so a guarded task goes through the
 * {@link EtagGuard} first.
 */
public final class S3PutObjectLegalHold implements ObjectOperation {
  private static final String FIELD = "Operation.S3PutObjectLegalHold.LegalHold";

  private final String status;

  public S3PutObjectLegalHold(S3SetObjectLegalHoldOperation spec) {
    Objects.requireNonNull(spec, "S3PutObjectLegalHold");
    SpecField.required(FIELD, spec.legalHold());
    this.status = SpecField.oneOf(FIELD + ".Status",
        SpecField.required(FIELD + ".Status", spec.legalHold().status()), Set.of("ON", "OFF"));
  }

  /** Amazon's service also reads the bucket's Object Lock configuration; we keep it listed. */
  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(objects.onObjects("SetObjectLegalHolds", "s3:PutObjectLegalHold"),
        objects.onBuckets("ReadObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"));
  }

  @Override
  public String name() {
    return "S3PutObjectLegalHold";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    return EtagGuard.write(task, clients.s3(), version -> clients.s3().putObjectLegalHold(
            PutObjectLegalHoldRequest.builder()
                .bucket(task.bucket())
                .key(task.key())
                .versionId(version)
                .legalHold(ObjectLockLegalHold.builder().status(status).build())
                .build()))
        .thenApply(r -> new OperationResult(r.sdkHttpResponse().statusCode(),
            "Legal hold " + status));
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would set legal hold " + status + " on " + Describe.object(task);
  }
}
