/**
 * The execution stage on the executors: the {@link io.github.s3batchspark.execution.TaskRunner}
 * that keeps many requests in flight per partition (as many, and as many starts per second, as
 * the run's {@link io.github.s3batchspark.execution.Steering} allows), retries what may succeed later, classifies
 * what will not, and the SDK clients shared by every partition of an executor JVM, signed as
 * the job's role ({@link io.github.s3batchspark.execution.RoleCredentials}) unless the caller's
 * credentials were chosen, at the endpoints the driver fixed into the settings from its SDK
 * configuration ({@link io.github.s3batchspark.execution.SdkEnvironment}).
 */
package io.github.s3batchspark.execution;
