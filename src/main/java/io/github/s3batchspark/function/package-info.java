/**
 * Custom per-object work that runs on the Spark executors instead of in Lambda: the
 * {@link io.github.s3batchspark.function.ObjectFunction} interface users implement in their own
 * jar, what it is given and what it returns, and the built-in functions (image thumbnails, gzip
 * compression, one DynamoDB item per object). The {@code JavaFunction} operation runs them.
 */
package io.github.s3batchspark.function;
