package io.github.s3batchspark.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A path-style S3 request, parsed: the bucket, the decoded key, the query and the S3 action it
 * names (PutObjectTagging, UploadPartCopy, ...), which is what faults and counts refer to.
 */
final class S3Request {
  final HttpMethod method;
  final String bucket;
  final String key;
  final Map<String, List<String>> query;
  final FullHttpRequest http;
  final String action;

  S3Request(FullHttpRequest http) {
    this.http = http;
    this.method = http.method();
    String uri = http.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    this.query = new QueryStringDecoder(uri).parameters();
    String[] parts = path.length() > 1 ? path.substring(1).split("/", 2) : new String[0];
    this.bucket = parts.length > 0 && !parts[0].isEmpty() ? percentDecode(parts[0]) : null;
    this.key = parts.length > 1 && !parts[1].isEmpty() ? percentDecode(parts[1]) : null;
    this.action = action();
  }

  boolean write() {
    return !method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD);
  }

  boolean has(String param) {
    return query.containsKey(param);
  }

  String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  String header(String name) {
    return http.headers().get(name);
  }

  String resource() {
    return "/" + (bucket == null ? "" : bucket) + (key == null ? "" : "/" + key);
  }

  /** The request body, with the SDK's aws-chunked framing (signed or not) taken off. */
  byte[] body() {
    ByteBuf content = http.content();
    byte[] raw = ByteBufUtil.getBytes(content);
    String sha = header("x-amz-content-sha256");
    String encoding = header("Content-Encoding");
    boolean chunked = (sha != null && sha.startsWith("STREAMING-"))
        || (encoding != null && encoding.contains("aws-chunked"));
    return chunked ? decodeAwsChunked(raw) : raw;
  }

  String bodyText() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  /** {@code x-amz-copy-source}: "bucket/key" or "/bucket/key", URL-encoded, maybe ?versionId=. */
  String[] copySource() {
    String source = header("x-amz-copy-source");
    if (source == null) {
      return null;
    }
    int v = source.indexOf("?versionId=");
    if (v >= 0) {
      source = source.substring(0, v);
    }
    if (source.startsWith("/")) {
      source = source.substring(1);
    }
    int slash = source.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    return new String[] {percentDecode(source.substring(0, slash)),
        percentDecode(source.substring(slash + 1))};
  }

  private String action() {
    String m = method.name();
    if (bucket == null) {
      return "ListBuckets";
    }
    if (key == null) {
      return switch (m) {
        case "PUT" -> "CreateBucket";
        case "HEAD" -> "HeadBucket";
        case "DELETE" -> "DeleteBucket";
        case "POST" -> has("delete") ? "DeleteObjects" : "PostBucket";
        default -> has("location") ? "GetBucketLocation"
            : "2".equals(param("list-type")) ? "ListObjectsV2" : "ListObjects";
      };
    }
    boolean copy = header("x-amz-copy-source") != null;
    return switch (m) {
      case "PUT" -> has("partNumber") && has("uploadId") ? (copy ? "UploadPartCopy" : "UploadPart")
          : has("tagging") ? "PutObjectTagging" : copy ? "CopyObject" : "PutObject";
      case "GET" -> has("tagging") ? "GetObjectTagging" : has("uploadId") ? "ListParts"
          : "GetObject";
      case "HEAD" -> "HeadObject";
      case "DELETE" -> has("tagging") ? "DeleteObjectTagging"
          : has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
      case "POST" -> has("uploads") ? "CreateMultipartUpload"
          : has("uploadId") ? "CompleteMultipartUpload" : "PostObject";
      default -> m;
    };
  }

  /** Percent-decoding of a path segment: unlike a query, a '+' here is a plus sign. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); ) {
      if (s.charAt(i) == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s, i + 1, i + 3, 16));
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static byte[] decodeAwsChunked(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    int at = 0;
    while (at < raw.length) {
      int lineEnd = indexOfCrlf(raw, at);
      if (lineEnd < 0) {
        break;
      }
      String header = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII);
      int semicolon = header.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon))
          .trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(raw, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
