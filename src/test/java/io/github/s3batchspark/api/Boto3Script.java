package io.github.s3batchspark.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with boto3's unmodified s3control client pointed at a {@link LocalApi}
 * as a user would set it up (endpoint_url, and the server as the HTTP proxy that reaches the
 * account-prefixed host), and returns the JSON it prints.
 *
 * <p>The prelude gives the script {@code s3c} (the client), {@code ACCOUNT}, {@code job_args()}
 * (CreateJob's arguments for a job over the fixture's manifest), {@code check(shape_name,
 * value)} (fails unless a parsed output matches botocore's output shape member for member and
 * type for type) and {@code error_code(call)}.
 */
final class Boto3Script {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String PRELUDE = """
      import datetime, json, os, sys
      import boto3
      from botocore.config import Config
      URL = os.environ["API_URL"]
      ACCOUNT = os.environ["ACCOUNT"]
      s3c = boto3.client("s3control", endpoint_url=URL, region_name="us-east-1",
          aws_access_key_id=os.environ["KEY_ID"], aws_secret_access_key=os.environ["SECRET"],
          config=Config(proxies={"http": URL}, retries={"max_attempts": 1}))
      MODEL = s3c.meta.service_model

      def job_args(**overrides):
          bucket, etag = os.environ["BUCKET"], os.environ["ETAG"]
          args = dict(AccountId=ACCOUNT, ConfirmationRequired=False, Priority=10,
              RoleArn="arn:aws:iam::123456789012:role/batch",
              Operation={"S3PutObjectTagging": {"TagSet": [{"Key": "k", "Value": "v"}]}},
              Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                                 "Fields": ["Bucket", "Key"]},
                        "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv" % bucket,
                                     "ETag": etag}},
              Report={"Bucket": "arn:aws:s3:::" + bucket, "Prefix": "r", "Enabled": True,
                      "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"})
          args.update(overrides)
          return args

      TYPES = {"string": str, "integer": int, "long": int, "boolean": bool,
               "timestamp": datetime.datetime, "structure": dict, "list": list, "map": dict}

      def check_shape(shape, value, path):
          assert isinstance(value, TYPES[shape.type_name]), "%s: %r is not a %s" % (
              path, value, shape.type_name)
          if shape.type_name == "structure":
              for name, member in value.items():
                  assert name in shape.members, "%s.%s is not in %s" % (path, name, shape.name)
                  check_shape(shape.members[name], member, path + "." + name)
          elif shape.type_name == "list":
              for i, item in enumerate(value):
                  check_shape(shape.member, item, "%s[%d]" % (path, i))

      def check(operation, output):
          output = {k: v for k, v in output.items() if k != "ResponseMetadata"}
          check_shape(MODEL.operation_model(operation).output_shape, output, operation)
          return output

      def error_code(call):
          try:
              call()
          except s3c.exceptions.ClientError as e:
              return {"Code": e.response["Error"]["Code"], "Message": e.response["Error"]["Message"],
                      "Status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                      "Class": type(e).__name__}
          raise AssertionError("the call succeeded")

      def jsonable(value):
          return value.isoformat() if isinstance(value, datetime.datetime) else str(value)

      def emit(value):
          print(json.dumps(value, default=jsonable))
      """;

  private Boto3Script() {}

  static JsonNode run(LocalApi api, String script) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("python3", "-c", PRELUDE + "\n" + script);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equalsIgnoreCase("http_proxy")
        || k.equalsIgnoreCase("no_proxy"));
    env.putAll(Map.of("API_URL", api.url(), "ACCOUNT", LocalApi.ACCOUNT,
        "KEY_ID", LocalApi.KEY_ID, "SECRET", LocalApi.SECRET, "BUCKET", api.bucket,
        "ETAG", api.manifestEtag));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), "the boto3 script failed:\n" + err);
    return JSON.readTree(out);
  }
}
