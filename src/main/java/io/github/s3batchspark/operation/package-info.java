/**
 * One class per S3 Batch Operations operation, each turning one task into one chain of async
 * requests. Operations never talk to Spark and never retry: the runner does both.
 */
package io.github.s3batchspark.operation;
