/**
 * One class per S3 Batch Operations operation, each turning one task into one chain of async
 * requests, and the {@link io.github.s3batchspark.operation.OperationFactory} that picks the
 * class from the job spec. Operations never talk to Spark and never retry: the runner does both.
 * Copies above the multipart threshold go through
 * {@code MultipartCopy}, which keeps a single copy's semantics. Each operation also says in
 * words what it would do to an object ({@code describe}), which {@code DryRun} reports instead
 * of acting, so a dry run needs nothing from the runner. {@code LambdaInvoke} calls the job's
 * function with Amazon's payload through the executor's async Lambda client. Each operation
 * also names the IAM permissions its requests need ({@code permissions}, as
 * {@link io.github.s3batchspark.operation.PolicyStatement}s on an
 * {@link io.github.s3batchspark.operation.ObjectScope}), from which the job's role policy is
 * built.
 */
package io.github.s3batchspark.operation;
