package io.github.s3batchspark.operation;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.OperationResult;
import io.github.s3batchspark.job.spec.S3InitiateRestoreObjectOperation;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.model.GlacierJobParameters;
import software.amazon.awssdk.services.s3.model.RestoreObjectRequest;
import software.amazon.awssdk.services.s3.model.RestoreRequest;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Starts the restore of each archived object (S3InitiateRestoreObject): a temporary copy for
 * {@code ExpirationInDays} days, retrieved at the {@code GlacierJobTier} (BULK or STANDARD).
 * Objects in the Intelligent-Tiering archive tiers take no ExpirationInDays: they move back to
 * the frequent access tier.
 *
 * <p>S3 answers 202 when it starts a restore and 200 when the object was already restored (the
 * expiry is then extended); both succeed. An object in no archive class (403
 * InvalidObjectState) or one whose restore is already running (409 RestoreAlreadyInProgress)
 * is a failed task with S3's code, as Amazon reports it. RestoreObject has no precondition
 * header, so a guarded task goes through the {@link EtagGuard} first.
 */
public final class S3InitiateRestoreObject implements ObjectOperation {
  private static final String FIELD = "Operation.S3InitiateRestoreObject";

  private final Integer expirationInDays;
  private final String tier;

  public S3InitiateRestoreObject(S3InitiateRestoreObjectOperation spec) {
    Objects.requireNonNull(spec, "S3InitiateRestoreObject");
    this.expirationInDays = spec.expirationInDays();
    this.tier = SpecField.oneOf(FIELD + ".GlacierJobTier", spec.glacierJobTier(),
        Set.of("BULK", "STANDARD"));
    if (expirationInDays != null && expirationInDays < 1) {
      throw new IllegalArgumentException(FIELD + ".ExpirationInDays: must be at least 1 day, "
          + "got " + expirationInDays);
    }
  }

  @Override
  public List<PolicyStatement> permissions(ObjectScope objects) {
    return List.of(objects.onObjects("RestoreObjects", "s3:RestoreObject"));
  }

  @Override
  public String name() {
    return "S3InitiateRestoreObject";
  }

  @Override
  public CompletableFuture<OperationResult> apply(ObjectTask task, ExecutorClients clients) {
    return EtagGuard.write(task, clients.s3(), version -> clients.s3().restoreObject(
            RestoreObjectRequest.builder()
                .bucket(task.bucket())
                .key(task.key())
                .versionId(version)
                .restoreRequest(restoreRequest())
                .build()))
        .thenApply(r -> {
          int status = r.sdkHttpResponse().statusCode();
          return new OperationResult(status, status == 202
              ? "Restore initiated: " + restoreText()
              : "Already restored; restore extended: " + restoreText());
        });
  }

  @Override
  public String describe(ObjectTask task) {
    return "Would initiate a restore (" + restoreText() + ") of " + Describe.object(task);
  }

  private RestoreRequest restoreRequest() {
    RestoreRequest.Builder b = RestoreRequest.builder().days(expirationInDays);
    if (tier != null) {
      b.glacierJobParameters(GlacierJobParameters.builder().tier(Tier.fromValue(tier(tier)))
          .build());
    }
    return b.build();
  }

  /** The s3control enum is upper case (BULK); the S3 Tier enum is capitalised (Bulk). */
  private static String tier(String s3controlTier) {
    return s3controlTier.charAt(0) + s3controlTier.substring(1).toLowerCase(java.util.Locale.ROOT);
  }

  private String restoreText() {
    return (expirationInDays == null ? "no expiration" : expirationInDays + " day(s)")
        + ", tier " + (tier == null ? "STANDARD (S3's default)" : tier);
  }
}
