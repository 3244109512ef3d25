/**
 * The job: the s3control CreateJob JSON parsed and validated into a {@link
 * io.github.s3batchspark.job.JobSpec} (refused field by field before any object is touched), its
 * {@link io.github.s3batchspark.job.JobStatus} life cycle, the {@link
 * io.github.s3batchspark.job.JobRecord} that DescribeJob and ListJobs show, and the {@link
 * io.github.s3batchspark.job.JobStore} that keeps records on a local directory, HDFS or S3:
 * versioned, written only over the version a change was made from, and merged by {@link
 * io.github.s3batchspark.job.Owner} (the runner's fields, the user's fields). {@link
 * io.github.s3batchspark.job.JobRolePolicy} is the IAM policy a job's role needs, built from
 * its spec (manifest reads, the operation's own permissions, report writes).
 *
 * <p>A run is {@link io.github.s3batchspark.job.JobRunner} moving the job through three stage
 * actions, each built with what it needs and answering an immutable result:
 * {@link io.github.s3batchspark.job.PrepareManifest} (a manifest source read, checked, filtered
 * and numbered once into the job's directory), {@link io.github.s3batchspark.job.RunTasks}
 * (waves of tasks, each committed as it ends, into {@link io.github.s3batchspark.job.JobResults})
 * and {@link io.github.s3batchspark.job.WriteReports} (report table, completion report). The
 * stages consult the run's {@link io.github.s3batchspark.job.JobControl} (lease, heartbeat, live
 * progress, cancel, and the steering that carries its share and cap on starts to its tasks) and
 * find every path in its {@link io.github.s3batchspark.job.JobDirectory}.
 *
 * <p>The records in {@code job.spec} are generated from botocore; edit the generator, not them.
 */
package io.github.s3batchspark.job;
