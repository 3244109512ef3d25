package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Paths on S3 are taken written {@code s3://} (as on EMR) or {@code s3a://}, and a missing
 * Hadoop S3 file system is one line naming the fix.
 */
class HadoopPathsCliTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();

  @TempDir Path dir;

  @Test
  void aJobJsonOnS3IsReadWhetherItsPathSaysS3OrS3a() {
    String bucket = Buckets.create(S3, "paths");
    Buckets.put(S3, bucket, "data/a.txt", "a");
    String manifestEtag = S3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(bucket + ",data/a.txt\n")).eTag().replace("\"", "");
    S3.putObject(b -> b.bucket(bucket).key("jobs/tag.json"), RequestBody.fromString("""
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "k", "Value": "v"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Enabled": false},
         "Priority": 1, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """.formatted(bucket, manifestEtag)));

    for (String scheme : new String[] {"s3", "s3a"}) {
      CliOutcome created = CliOutcome.run(dir.resolve("store"), SERVER.endpoint(),
          "create-job", "--cli-input-json", scheme + "://" + bucket + "/jobs/tag.json");
      assertEquals(0, created.code(), scheme + ": " + created.err());
      assertTrue(created.out().contains("\"JobId\""), created.out());
    }
  }

  @Test
  void aMissingHadoopAwsIsOneLineNamingThePackageToAdd() {
    String line = S3Batch.oneLine(new IllegalStateException("cannot open the job store",
        new NoClassDefFoundError("com/amazonaws/auth/AWSCredentialsProvider")));
    String scheme = S3Batch.oneLine(new java.io.IOException(
        "No FileSystem for scheme \"s3\""));

    assertTrue(line.contains("--packages org.apache.hadoop:hadoop-aws:3.3.4"), line);
    assertTrue(scheme.contains("s3:// is EMRFS on EMR"), scheme);
    assertTrue(!line.contains("\n") && !scheme.contains("\n"));
  }
}
