package io.github.s3batchspark.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * REST-XML bodies as botocore writes them become the JSON the job layer reads, and back:
 * renamed members, named list elements, maps, booleans and numbers.
 */
class ShapeXmlTest {
  private static final ApiModel MODEL = ApiModel.get();
  /** What botocore 1.43's rest-xml serializer writes for this CreateJob, byte for byte. */
  private static final String BOTOCORE_CREATE_JOB = "<CreateJobRequest xmlns=\"http://awss3con"
      + "trol.amazonaws.com/doc/2018-08-20/\"><ClientRequestToken>t</ClientRequestToken>"
      + "<RoleArn>arn:aws:iam::123456789012:role/r</RoleArn><Priority>1</Priority><Report>"
      + "<Enabled>false</Enabled></Report><Operation><S3PutObjectCopy><TargetResource>arn:aws:"
      + "s3:::b</TargetResource><NewObjectMetadata><UserMetadata><entry><key>a</key><value>1"
      + "</value></entry><entry><key>b</key><value>2</value></entry></UserMetadata>"
      + "</NewObjectMetadata></S3PutObjectCopy></Operation><ManifestGenerator>"
      + "<S3JobManifestGenerator><SourceBucket>arn:aws:s3:::b</SourceBucket>"
      + "<EnableManifestOutput>false</EnableManifestOutput><Filter><MatchAnyObjectEncryption>"
      + "<ObjectEncryption><SSE-KMS><KmsKeyArn>arn:aws:kms:us-east-1:123456789012:key/k"
      + "</KmsKeyArn></SSE-KMS></ObjectEncryption><ObjectEncryption><NOT-SSE /></ObjectEncryp"
      + "tion></MatchAnyObjectEncryption></Filter></S3JobManifestGenerator></ManifestGenerator>"
      + "</CreateJobRequest>";

  private static JsonNode read(String xml) {
    return ShapeXml.read(xml.getBytes(StandardCharsets.UTF_8),
        MODEL.shape("CreateJobRequest"), MODEL);
  }

  @Test
  void botocoresCreateJobBodyBecomesTheCreateJobJson() {
    JsonNode job = read(BOTOCORE_CREATE_JOB);

    assertEquals(1, job.get("Priority").intValue());
    assertTrue(job.at("/Report/Enabled").isBoolean());
    assertEquals("{\"a\":\"1\",\"b\":\"2\"}",
        job.at("/Operation/S3PutObjectCopy/NewObjectMetadata/UserMetadata").toString());
    JsonNode filters = job.at("/ManifestGenerator/S3JobManifestGenerator/Filter"
        + "/MatchAnyObjectEncryption");
    assertEquals("arn:aws:kms:us-east-1:123456789012:key/k",
        filters.at("/0/SSEKMS/KmsKeyArn").asText());
    assertEquals("{}", filters.get(1).get("NOTSSE").toString());
  }

  @Test
  void writtenXmlUsesTheWireNamesAndReadsBackTheSame() {
    JsonNode job = read(BOTOCORE_CREATE_JOB);

    String written = new String(ShapeXml.write("CreateJobRequest", job,
        MODEL.shape("CreateJobRequest"), MODEL), StandardCharsets.UTF_8);

    assertTrue(written.contains("<ObjectEncryption><SSE-KMS><KmsKeyArn>"), written);
    assertTrue(written.contains("<entry><key>a</key><value>1</value></entry>"), written);
    assertEquals(job, read(written));
  }

  @Test
  void elementOutsideTheShapeIsKeptForTheValidatorToName() {
    JsonNode job = read("<CreateJobRequest><Priorty>3</Priorty></CreateJobRequest>");

    assertEquals("3", job.get("Priorty").asText());
  }

  @Test
  void bodyThatIsNotXmlIsRefusedAsMalformed() {
    ApiError e = assertThrows(ApiError.class, () -> read("<CreateJobRequest><Priority>"));

    assertEquals(400, e.status());
    assertEquals("MalformedXML", e.code());
  }
}
