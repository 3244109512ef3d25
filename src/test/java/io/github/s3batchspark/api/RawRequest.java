package io.github.s3batchspark.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;

import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One HTTP/1.1 request written on a socket byte for byte, so that a test chooses what no HTTP
 * client lets it: the Host header, an absolute-form target, a body other than the signed one.
 * Signed, when asked, by the AWS SDK's SigV4 signer as an S3 Control client signs.
 */
record RawRequest(String method, String host, String pathAndQuery, Map<String, String> headers,
    byte[] body) {

  record Response(int status, String body) {
    /** The S3 Control error code in the body, or null. */
    String errorCode() {
      int start = body.indexOf("<Code>");
      return start < 0 ? null : body.substring(start + 6, body.indexOf("</Code>"));
    }
  }

  static RawRequest get(String host, String pathAndQuery, String accountId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amz-account-id", accountId);
    return new RawRequest("GET", host, pathAndQuery, headers, new byte[0]);
  }

  RawRequest withBody(String method, String xml) {
    return new RawRequest(method, host, pathAndQuery, headers,
        xml.getBytes(StandardCharsets.UTF_8));
  }

  /** This request signed with {@code keyId} and {@code secret} for service s3, us-east-1. */
  RawRequest signed(String keyId, String secret, Clock clock) {
    String[] hostAndPort = host.split(":");
    int q = pathAndQuery.indexOf('?');
    SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
        .protocol("http").host(hostAndPort[0]).port(Integer.parseInt(hostAndPort[1]))
        .encodedPath(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
    if (q >= 0) {
      for (String pair : pathAndQuery.substring(q + 1).split("&")) {
        String[] nv = pair.split("=", 2);
        b.appendRawQueryParameter(ApiRequest.decode(nv[0]), ApiRequest.decode(nv[1]));
      }
    }
    headers.forEach(b::putHeader);
    b.putHeader("x-amz-content-sha256", RequestSignature.sha256(body));
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(keyId, secret))
        .request(b.build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();
    Map<String, String> all = new LinkedHashMap<>();
    signed.headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        all.put(name, values.get(0));
      }
    });
    return new RawRequest(method, host, pathAndQuery, all, body);
  }

  /** Sends the request to {@code port} on 127.0.0.1, as origin-form or absolute-form target. */
  Response send(int port, boolean absoluteForm) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ')
          .append(absoluteForm ? "http://" + host + pathAndQuery : pathAndQuery)
          .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value)
          .append("\r\n"));
      head.append("Content-Length: ").append(body.length).append("\r\n")
          .append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      return parse(socket.getInputStream());
    }
  }

  private static Response parse(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    String text = bytes.toString(StandardCharsets.UTF_8);
    int status = Integer.parseInt(text.substring(9, 12));
    int bodyStart = text.indexOf("\r\n\r\n");
    return new Response(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
  }

}
