package io.github.s3batchspark.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.spec.JobReport;
import java.io.IOException;
import java.net.URI;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A job's completion report as the console hands it to a browser, which cannot open an {@code
 * s3://} address: its {@code manifest.json}, and each results file that manifest lists, read
 * from S3 with {@code serve}'s own credentials (as the report table is) and sent on as they
 * come. Only those files: a file the manifest does not list is not found, so that the console
 * opens nothing else of the report bucket.
 */
final class CompletionReportFiles {
  private final ClientSettings clients;

  CompletionReportFiles(ClientSettings clients) {
    this.clients = clients;
  }

  /** The manifest when {@code file} is null, else the results file of that key. */
  void send(HttpExchange exchange, JobRecord job, String file) throws IOException {
    URI manifest = manifestOf(job);
    String bucket = manifest.getHost();
    String manifestKey = manifest.getPath().substring(1);
    String owner = expectedOwner(job);
    try (S3Client s3 = ExecutorClients.syncClient(clients)) {
      if (file == null) {
        sendObject(exchange, s3, bucket, manifestKey, owner, "application/json", null);
        return;
      }
      checkListed(s3, bucket, manifestKey, owner, file, job.jobId());
      sendObject(exchange, s3, bucket, file, owner, "text/csv",
          "job-" + job.jobId() + "-" + file.substring(file.lastIndexOf('/') + 1));
    } catch (S3Exception e) {
      throw new ConsoleException(e.statusCode() == 404 ? 404 : 502, "cannot read the "
          + "completion report of job " + job.jobId() + " at " + manifest + ": "
          + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw new ConsoleException(502, "cannot read the completion report of job " + job.jobId()
          + " at " + manifest + ": " + e.getMessage());
    }
  }

  private static URI manifestOf(JobRecord job) {
    String location = job.reportLocation();
    if (location == null || !location.startsWith("s3://")) {
      throw new ConsoleException(404, "job " + job.jobId() + " has no completion report yet: "
          + "it is written when the job ends (Complete, Failed or Cancelled) and asks for one");
    }
    return URI.create(location);
  }

  /**
   * Refuses a key that the manifest does not list as a file in its own bucket (the report
   * writer puts them there), so that nothing else is read with serve's credentials.
   */
  private static void checkListed(S3Client s3, String bucket, String manifestKey, String owner,
      String key, String jobId) throws IOException {
    JsonNode manifest = JobViews.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket)
        .key(manifestKey).expectedBucketOwner(owner)).asByteArray());
    for (JsonNode result : manifest.path("Results")) {
      if (key.equals(result.path("Key").asText())
          && bucket.equals(result.path("Bucket").asText())) {
        return;
      }
    }
    throw new ConsoleException(404, "the completion report of job " + jobId + " lists no "
        + "file " + key + ": open the files the job's page links to");
  }

  private static void sendObject(HttpExchange exchange, S3Client s3, String bucket, String key,
      String owner, String type, String downloadAs) throws IOException {
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key)
        .expectedBucketOwner(owner))) {
      ConsoleReply.stream(exchange, type + "; charset=utf-8", downloadAs,
          in.response().contentLength(), in);
    }
  }

  private static String expectedOwner(JobRecord job) {
    JobReport report = job.spec().request().report();
    return report == null ? null : report.expectedBucketOwner();
  }
}
