package io.github.s3batchspark.api;

import io.github.s3batchspark.job.IdempotencyException;
import io.github.s3batchspark.job.JobIdException;
import io.github.s3batchspark.job.JobNotFoundException;
import io.github.s3batchspark.job.JobStatusTransitionException;
import io.github.s3batchspark.job.NextTokenException;
import io.github.s3batchspark.job.Refusal;
import io.github.s3batchspark.job.TooManyTagsException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A request the API answers with an error: the HTTP status and S3 Control's error code, which
 * botocore turns into the modelled exception ({@code client.exceptions.NotFoundException}) and
 * the AWS SDK for Java into its own ({@code NotFoundException}).
 */
final class ApiError extends RuntimeException {
  private final int status;
  private final String code;

  ApiError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "NotFoundException", message);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequestException", message);
  }

  static ApiError invalidRequest(String message) {
    return new ApiError(400, "InvalidRequestException", message);
  }

  static ApiError malformedXml(String detail) {
    return new ApiError(400, "MalformedXML", "the request body is not well-formed XML: " + detail);
  }

  static ApiError accessDenied(String message) {
    return new ApiError(403, "AccessDenied", message);
  }

  /**
   * The answer to a failure of the job layer: a refusal becomes the modelled error of S3
   * Control with the job layer's own message (which names the field or the job); anything else
   * is the service's fault (500 InternalServiceException), and is logged by the caller.
   */
  static ApiError of(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName()
        : e.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
    if (e instanceof ApiError api) {
      return api;
    } else if (e instanceof JobNotFoundException || e instanceof JobIdException) {
      return notFound(message);
    } else if (e instanceof IdempotencyException) {
      return new ApiError(400, "IdempotencyException", message);
    } else if (e instanceof JobStatusTransitionException) {
      return new ApiError(400, "JobStatusException", message);
    } else if (e instanceof TooManyTagsException) {
      return new ApiError(400, "TooManyTagsException", message);
    } else if (e instanceof NextTokenException) {
      return new ApiError(400, "InvalidNextTokenException", message);
    } else if (e instanceof Refusal) { // a job spec, a priority of an ended job, ...
      return badRequest(message);
    }
    return new ApiError(500, "InternalServiceException", "the job service failed: " + message);
  }

  /**
   * S3 Control's error document, as botocore's REST-XML parser reads it ({@code Code} and
   * {@code Message} under {@code Error}, the request id beside it).
   */
  byte[] toXml(String requestId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory()
          .createXMLStreamWriter(bytes, StandardCharsets.UTF_8.name());
      xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
      xml.writeStartElement("ErrorResponse");
      xml.writeStartElement("Error");
      element(xml, "Code", code);
      element(xml, "Message", getMessage());
      xml.writeEndElement();
      element(xml, "RequestId", requestId);
      element(xml, "HostId", requestId);
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write an error document", e);
    }
    return bytes.toByteArray();
  }

  private static void element(XMLStreamWriter xml, String name, String text)
      throws XMLStreamException {
    xml.writeStartElement(name);
    xml.writeCharacters(text == null ? "" : text);
    xml.writeEndElement();
  }
}
