package io.github.s3batchspark.api;

import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The API server of the tests: {@link S3ControlServer} on 127.0.0.1, a free port, over a job
 * store in a temporary directory, its CreateJob checks made on moto_server, where a bucket holds
 * a CSV manifest that the tests' jobs name.
 */
final class LocalApi implements AutoCloseable {
  static final String ACCOUNT = "123456789012";
  static final String KEY_ID = "AKIAAPITESTKEY000001";
  static final String SECRET = "api-test-secret-access-key";

  final S3ControlServer server;
  final JobStore store;
  final String bucket;
  final String manifestEtag;

  private LocalApi(S3ControlServer server, JobStore store, String bucket, String manifestEtag) {
    this.server = server;
    this.store = store;
    this.bucket = bucket;
    this.manifestEtag = manifestEtag;
  }

  static LocalApi start(Path storeDirectory) {
    LocalS3Server moto = LocalS3Server.moto();
    S3Client s3 = moto.client();
    String bucket = Buckets.create(s3, "api");
    Buckets.put(s3, bucket, "a.txt", "a");
    String etag = s3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(bucket + ",a.txt\n")).eTag().replace("\"", "");
    JobStore store = HadoopJobStore.open(storeDirectory.toString(), moto.clientSettings(),
        new Configuration());
    S3ControlServer server = S3ControlServer.start(new ApiSettings(ApiSettings.LOCAL_ONLY, 0,
        ACCOUNT, AccessKeys.of(KEY_ID, SECRET)), store, moto.clientSettings());
    return new LocalApi(server, store, bucket, etag);
  }

  String url() {
    return server.url().toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
