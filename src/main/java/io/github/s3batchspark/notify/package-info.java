/**
 * What happens around a job's run without being part of it: its status change events (every
 * status written through a {@link io.github.s3batchspark.notify.NotifyingJobStore}, to the
 * service's targets and the job's own {@code Notifications}: SNS, SQS, EventBridge, SES, a
 * signed webhook), its CloudWatch metrics while it runs, and the triggers that create jobs by
 * themselves (a new inventory manifest announced on SQS, a cron schedule), which may hand their
 * jobs to EMR Serverless. Used by the job's callers ({@code cli}, {@code service}); the {@code
 * job} package knows nothing of it. A notice or a metric that cannot be sent is logged and never
 * changes a job's outcome.
 */
package io.github.s3batchspark.notify;
