/**
 * The s3control REST API that {@code s3batch serve} answers, so that boto3, the AWS CLI and the
 * AWS SDKs manage jobs here unchanged: requests are verified ({@link
 * io.github.s3batchspark.api.RequestSignature}, SigV4 against the configured {@link
 * io.github.s3batchspark.api.AccessKeys}), read and answered in botocore's REST-XML shapes
 * ({@link io.github.s3batchspark.api.ShapeXml} over the exported {@link
 * io.github.s3batchspark.api.ApiModel}), and mapped onto the job layer ({@link
 * io.github.s3batchspark.api.JobApi}). It depends on {@code job} and {@code execution} (for the
 * clients CreateJob checks with), never the reverse; it needs no Spark. {@link
 * io.github.s3batchspark.api.S3ControlServer#serveAlongside} lends its port to the web console
 * (package {@code console}), which this package does not know.
 */
package io.github.s3batchspark.api;
