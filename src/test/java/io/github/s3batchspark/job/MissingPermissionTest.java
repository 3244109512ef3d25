package io.github.s3batchspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.job.spec.S3InitiateRestoreObjectOperation;
import io.github.s3batchspark.operation.S3DeleteObject;
import io.github.s3batchspark.operation.S3InitiateRestoreObject;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import io.github.s3batchspark.testing.MotoIam;
import io.github.s3batchspark.testing.OperationRun;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * A refusal for want of a permission is a failed task with S3's code and HTTP status (403
 * AccessDenied), never a failed job: jobs signed by an IAM user whose policy allows everything
 * the job needs (reading the manifest, writing the report, reading the objects) but the
 * operation's own action.
 *
 * <p>moto, on a server of this class's own, because it enforces IAM policies when told to
 * ({@link MotoIam}); S3Mock has no IAM.
 */
class MissingPermissionTest {
  /** Every S3 action but those that change an object's tags, ACL, existence or archive copy. */
  private static final String POLICY = """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Resource": "*", "Action": ["s3:PutObjectTagging",
          "s3:PutObjectAcl", "s3:DeleteObject", "s3:RestoreObject"]}]}
      """;
  private static final List<String> KEYS = List.of("a.txt", "b c.txt", "d.txt");

  private static LocalS3Server moto;
  private static S3Client s3;
  private static MotoIam iam;
  private static MotoIam.Keys batchUser;
  private static String bucket;
  private static String manifestEtag;

  @TempDir Path storeDir;

  @BeforeAll
  static void objectsAndAUserWithoutTheOperationsPermissions() {
    moto = LocalS3Server.ownMoto();
    s3 = moto.client();
    bucket = Buckets.create(s3, "perm");
    KEYS.forEach(k -> Buckets.put(s3, bucket, k, "content of " + k));
    s3.putObject(b -> b.bucket(bucket).key("archived").storageClass(StorageClass.GLACIER),
        RequestBody.fromString("cold"));
    String csv = KEYS.stream().map(k -> bucket + "," + k.replace(" ", "+") + "\n")
        .reduce("", String::concat);
    manifestEtag = Buckets.put(s3, bucket, "manifest.csv", csv).replace("\"", "");
    iam = new MotoIam(moto);
    batchUser = iam.user("batch-operations", POLICY);
  }

  @AfterAll
  static void stopTheServer() {
    iam.close();
    moto.stop();
  }

  @Test
  void taggingJobWithoutPutObjectTaggingFailsEveryTaskWithAccessDeniedAndCompletes() {
    JobRecord done = runSignedByTheBatchUser(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"stage\", \"Value\": \"done\"}]}}");

    assertEveryTaskFailedWithAccessDenied(done);
    for (String key : KEYS) {
      assertTrue(s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().isEmpty(), key);
    }
  }

  @Test
  void aclJobWithoutPutObjectAclFailsEveryTaskWithAccessDeniedAndCompletes() {
    JobRecord done = runSignedByTheBatchUser("""
        {"S3PutObjectAcl": {"AccessControlPolicy": {"CannedAccessControlList": "public-read"}}}
        """);

    assertEveryTaskFailedWithAccessDenied(done);
    for (String key : KEYS) {
      assertTrue(s3.getObjectAcl(b -> b.bucket(bucket).key(key)).grants().stream()
          .noneMatch(g -> g.permission() == Permission.READ && g.grantee().uri() != null), key);
    }
  }

  @Test
  void deleteAndRestoreWithoutTheirPermissionsAreFailedTasksWithAccessDenied() {
    ExecutorClients clients = ExecutorClients.get(moto.clientSettings());
    List<TaskResult> results;
    iam.enforce();
    try {
      results = MotoIam.signedAs(batchUser, () -> List.of(
          OperationRun.runOne(new S3DeleteObject(), clients,
              new ObjectTask(1, bucket, "a.txt", null, null)),
          OperationRun.runOne(new S3InitiateRestoreObject(
                  new S3InitiateRestoreObjectOperation(1, "BULK")), clients,
              new ObjectTask(2, bucket, "archived", null, null))));
    } finally {
      iam.close();
    }

    for (TaskResult r : results) {
      assertEquals(TaskResult.FAILED, r.taskStatus(), r::toString);
      assertEquals("AccessDenied", r.errorCode(), r::toString);
      assertEquals(403, r.httpStatusCode(), r::toString);
      assertEquals(1, r.attempts(), "a refusal is not retried");
    }
    assertEquals("content of a.txt", s3.getObjectAsBytes(b -> b.bucket(bucket).key("a.txt"))
        .asUtf8String(), "still there");
    assertEquals(null, s3.headObject(b -> b.bucket(bucket).key("archived")).restore());
  }

  private JobRecord runSignedByTheBatchUser(String operation) {
    JobStore store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(
        CsvJobJson.of(operation, bucket, manifestEtag, "reports")));
    JobRunner runner = new JobRunner(LocalSpark.session(), store, RunSettings.defaults()
        .withClients(moto.clientSettings()).withPartitions(2));
    iam.enforce();
    try {
      return MotoIam.signedAs(batchUser, () -> runner.run(job.jobId()));
    } finally {
      iam.close();
    }
  }

  private static void assertEveryTaskFailedWithAccessDenied(JobRecord done) {
    assertEquals(JobStatus.COMPLETE, done.status(), () -> String.valueOf(done.failureReasons()));
    assertEquals(KEYS.size(), done.progress().numberOfTasksFailed());
    List<String> lines = ReportLines.of(s3, bucket, done);
    assertEquals(KEYS.size(), lines.size(), lines::toString);
    assertTrue(lines.stream().allMatch(l -> l.startsWith(bucket + ",")
        && l.contains(",failed,403,AccessDenied,")), lines::toString);
  }
}
