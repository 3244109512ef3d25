/**
 * The job service: one long-lived Spark application that watches the job store and runs its
 * jobs, several at once, in priority order, sharing the executors by priority: their requests
 * in flight ({@code PriorityShares}) and, when they are short of CPU, the objects each job starts
 * per second ({@code RateShares}). Built on the job package's runs (leases, live progress,
 * cancel, pause); it never reaches below them. {@code s3batch serve} starts it beside the s3control API.
 */
package io.github.s3batchspark.service;
