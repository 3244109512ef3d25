/**
 * The job service: one long-lived Spark application that watches the job store and runs its
 * jobs, several at once, in priority order, sharing the executors by priority: their requests
 * in flight ({@code PriorityShares}) and, when they are short of CPU, the objects each job starts
 * per second ({@code RateShares}). Built on the job package's runs (leases, live progress,
 * cancel, pause); it never reaches below them. {@link io.github.s3batchspark.service.Serve}
 * starts what {@code s3batch serve} runs, in one place: this service, the s3control API
 * ({@code api}) with the web console ({@code console}) on its port, and the triggers
 * ({@code notify}); none of those depends on this package.
 */
package io.github.s3batchspark.service;
