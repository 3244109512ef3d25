package io.github.s3batchspark.bench;

import io.github.s3batchspark.bench.ObjectStore.Bucket;
import io.github.s3batchspark.bench.ObjectStore.Part;
import io.github.s3batchspark.bench.ObjectStore.S3Object;
import io.github.s3batchspark.bench.ObjectStore.Upload;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Answers one S3 request. State changes when the request arrives; the answer leaves
 * {@code latency} later, scheduled on the connection's event loop, so that waiting costs
 * neither a thread nor CPU. Faults and the rate limit are decided before the request has any
 * effect: a refused or reset request changed nothing.
 */
final class S3RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME
      .withZone(ZoneOffset.UTC);

  private final LoadS3Server server;
  private final ObjectStore store;

  /** An answer: a whole response, or headers and a body streamed from object content. */
  private record Reply(HttpResponse head, ObjectContent body) {}

  S3RequestHandler(LoadS3Server server) {
    this.server = server;
    this.store = server.store();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
    S3Request request = new S3Request(http);
    LoadSettings settings = server.settings();
    LoadStats stats = server.stats();
    stats.request(request.action);
    stats.arrived();
    boolean keepAlive = HttpUtil.isKeepAlive(http);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long delay = settings.latencyMs();
    if (settings.slowRate() > 0 && random.nextDouble() < settings.slowRate()) {
      stats.count("fault.slow");
      delay += settings.slowMs();
    }
    Reply reply = null;
    if (settings.faults(request.action)) {
      double r = random.nextDouble();
      if (r < settings.resetRate()) {
        stats.count("fault.reset");
        later(ctx, delay, () -> {
          stats.answered();
          reset(ctx);
        });
        return;
      }
      r -= settings.resetRate();
      if (r < settings.slowDownRate()) {
        stats.count("fault.SlowDown");
        reply = error(HttpResponseStatus.SERVICE_UNAVAILABLE, "SlowDown",
            "Please reduce your request rate.", request);
      } else if (r - settings.slowDownRate() < settings.internalErrorRate()) {
        stats.count("fault.InternalError");
        reply = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "InternalError",
            "We encountered an internal error. Please try again.", request);
      }
    }
    if (reply == null && settings.rateLimited() && request.key != null
        && !server.rateLimit().admit(request.bucket, request.key, request.write(), settings)) {
      stats.count("throttled");
      reply = error(HttpResponseStatus.SERVICE_UNAVAILABLE, "SlowDown",
          "Please reduce your request rate.", request);
    }
    if (reply == null) {
      reply = answer(request);
    }
    stats.count("status." + reply.head().status().code());
    if (reply.head().status().code() / 100 == 2) {
      stats.countTimed("done." + request.action);
    }
    Reply ready = reply;
    later(ctx, delay, () -> {
      stats.answered();
      send(ctx, ready, keepAlive);
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    server.stats().count("connection.errors");
    ctx.close();
  }

  private static void later(ChannelHandlerContext ctx, long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
    } else {
      ctx.executor().schedule(action, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  /** Closes with SO_LINGER 0, so the client sees a reset, as when a front end dies. */
  private static void reset(ChannelHandlerContext ctx) {
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    ctx.channel().close();
  }

  private static void send(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
    if (!ctx.channel().isActive()) {
      return;
    }
    HttpUtil.setKeepAlive(reply.head(), keepAlive);
    var written = reply.body() == null
        ? ctx.writeAndFlush(reply.head())
        : writeStream(ctx, reply);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static io.netty.channel.ChannelFuture writeStream(ChannelHandlerContext ctx,
      Reply reply) {
    ctx.write(reply.head());
    return ctx.writeAndFlush(new HttpChunkedInput(new ContentStream(reply.body())));
  }

  private Reply answer(S3Request r) {
    try {
      return switch (r.action) {
        case "ListBuckets" -> xml(HttpResponseStatus.OK, S3Xml.listBuckets(store.bucketNames()));
        case "CreateBucket" -> {
          store.createBucket(r.bucket);
          yield empty(HttpResponseStatus.OK);
        }
        case "HeadBucket" -> store.bucket(r.bucket) == null ? noSuchBucket(r)
            : empty(HttpResponseStatus.OK);
        case "DeleteBucket" -> {
          store.deleteBucket(r.bucket);
          yield empty(HttpResponseStatus.NO_CONTENT);
        }
        case "GetBucketLocation" -> xml(HttpResponseStatus.OK, S3Xml.DECLARATION
            + "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
        case "ListObjectsV2", "ListObjects" -> listObjects(r);
        case "DeleteObjects" -> deleteObjects(r);
        case "PutObject" -> putObject(r);
        case "CopyObject" -> copyObject(r);
        case "UploadPart" -> uploadPart(r);
        case "UploadPartCopy" -> uploadPartCopy(r);
        case "CreateMultipartUpload" -> createMultipartUpload(r);
        case "CompleteMultipartUpload" -> completeMultipartUpload(r);
        case "AbortMultipartUpload" -> {
          store.removeUpload(r.param("uploadId"));
          yield empty(HttpResponseStatus.NO_CONTENT);
        }
        case "PutObjectTagging" -> putObjectTagging(r);
        case "GetObjectTagging" -> getObjectTagging(r);
        case "DeleteObjectTagging" -> deleteObjectTagging(r);
        case "GetObject", "HeadObject" -> getObject(r);
        case "DeleteObject" -> {
          Bucket b = store.bucket(r.bucket);
          if (b == null) {
            yield noSuchBucket(r);
          }
          store.delete(b, r.key);
          yield empty(HttpResponseStatus.NO_CONTENT);
        }
        default -> error(HttpResponseStatus.NOT_IMPLEMENTED, "NotImplemented",
            "The load server does not implement " + r.action + " (" + r.method + " "
                + r.http.uri() + ")", r);
      };
    } catch (RuntimeException bug) {
      server.stats().count("server.bugs");
      server.reportBug(r, bug);
      return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "InternalError",
          "load server failure: " + bug, r);
    }
  }

  private Reply putObject(S3Request r) {
    Bucket b = store.bucket(r.bucket);
    if (b == null) {
      return noSuchBucket(r);
    }
    byte[] body = r.body();
    S3Object o = store.put(b, r.key, ObjectContent.stored(body), ObjectStore.md5Etag(body),
        r.header("Content-Type"));
    Reply reply = empty(HttpResponseStatus.OK);
    reply.head().headers().set(HttpHeaderNames.ETAG, o.etag());
    return reply;
  }

  private Reply copyObject(S3Request r) {
    Bucket target = store.bucket(r.bucket);
    String[] source = r.copySource();
    if (target == null) {
      return noSuchBucket(r);
    }
    S3Object from = source == null || store.bucket(source[0]) == null ? null
        : store.get(store.bucket(source[0]), source[1]);
    if (from == null) {
      return noSuchKey(r);
    }
    Reply refused = copyPreconditions(r, from);
    if (refused != null) {
      return refused;
    }
    String contentType = "REPLACE".equals(r.header("x-amz-metadata-directive"))
        ? r.header("Content-Type") : from.contentType();
    S3Object copy = store.put(target, r.key, from.content(), from.etag(), contentType);
    return xml(HttpResponseStatus.OK, S3Xml.copyObjectResult(copy.etag(), copy.lastModified()));
  }

  private Reply uploadPart(S3Request r) {
    Upload upload = store.upload(r.param("uploadId"));
    if (upload == null) {
      return noSuchUpload(r);
    }
    byte[] body = r.body();
    String etag = ObjectStore.md5Etag(body);
    upload.parts().put(Integer.parseInt(r.param("partNumber")),
        new Part(ObjectContent.stored(body), etag));
    Reply reply = empty(HttpResponseStatus.OK);
    reply.head().headers().set(HttpHeaderNames.ETAG, etag);
    return reply;
  }

  private Reply uploadPartCopy(S3Request r) {
    Upload upload = store.upload(r.param("uploadId"));
    if (upload == null) {
      return noSuchUpload(r);
    }
    String[] source = r.copySource();
    S3Object from = source == null || store.bucket(source[0]) == null ? null
        : store.get(store.bucket(source[0]), source[1]);
    if (from == null) {
      return noSuchKey(r);
    }
    Reply refused = copyPreconditions(r, from);
    if (refused != null) {
      return refused;
    }
    long[] range = range(r.header("x-amz-copy-source-range"), from.size());
    if (range == null) {
      return error(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "InvalidRange",
          "The requested range is not satisfiable", r);
    }
    ObjectContent part = from.content().slice(range[0], range[1] - range[0] + 1);
    long now = System.currentTimeMillis();
    String etag = part instanceof ObjectContent.Stored s ? ObjectStore.md5Etag(s.bytes())
        : ObjectStore.generatedEtag(range[0] * 31 + from.etag().hashCode(), part.length());
    upload.parts().put(Integer.parseInt(r.param("partNumber")), new Part(part, etag));
    return xml(HttpResponseStatus.OK, S3Xml.copyPartResult(etag, now));
  }

  private Reply createMultipartUpload(S3Request r) {
    if (store.bucket(r.bucket) == null) {
      return noSuchBucket(r);
    }
    String id = store.createUpload(r.bucket, r.key, r.header("Content-Type"));
    return xml(HttpResponseStatus.OK, S3Xml.initiateMultipartUpload(r.bucket, r.key, id));
  }

  private Reply completeMultipartUpload(S3Request r) {
    Upload upload = store.upload(r.param("uploadId"));
    Bucket b = store.bucket(r.bucket);
    if (upload == null || b == null) {
      return noSuchUpload(r);
    }
    List<Part> parts = ObjectStore.partsInOrder(upload, S3Xml.parsePartNumbers(r.bodyText()));
    if (parts == null || parts.isEmpty()) {
      return error(HttpResponseStatus.BAD_REQUEST, "InvalidPart",
          "One or more of the specified parts could not be found.", r);
    }
    ObjectContent content = ObjectContent.concat(parts.stream().map(Part::content).toList());
    if (content == null) {
      return error(HttpResponseStatus.NOT_IMPLEMENTED, "NotImplemented",
          "The load server joins parts only when all were uploaded, or all were copied from "
              + "consecutive ranges of one object", r);
    }
    store.removeUpload(r.param("uploadId"));
    S3Object o = store.put(b, r.key, content, ObjectStore.multipartEtag(parts),
        upload.contentType());
    return xml(HttpResponseStatus.OK, S3Xml.completeMultipartUpload(r.bucket, r.key, o.etag()));
  }

  private Reply putObjectTagging(S3Request r) {
    Bucket b = store.bucket(r.bucket);
    if (b == null) {
      return noSuchBucket(r);
    }
    if (!store.setTags(b, r.key, S3Xml.parseTags(r.bodyText()))) {
      return noSuchKey(r);
    }
    return empty(HttpResponseStatus.OK);
  }

  private Reply getObjectTagging(S3Request r) {
    Bucket b = store.bucket(r.bucket);
    S3Object o = b == null ? null : store.get(b, r.key);
    if (o == null) {
      return b == null ? noSuchBucket(r) : noSuchKey(r);
    }
    return xml(HttpResponseStatus.OK, S3Xml.tagging(store.tags(o.tagSet())));
  }

  private Reply deleteObjectTagging(S3Request r) {
    Bucket b = store.bucket(r.bucket);
    if (b == null) {
      return noSuchBucket(r);
    }
    if (!store.setTags(b, r.key, List.of())) {
      return noSuchKey(r);
    }
    return empty(HttpResponseStatus.NO_CONTENT);
  }

  private Reply getObject(S3Request r) {
    Bucket b = store.bucket(r.bucket);
    S3Object o = b == null ? null : store.get(b, r.key);
    if (o == null) {
      return b == null ? noSuchBucket(r) : noSuchKey(r);
    }
    String ifMatch = r.header("If-Match");
    if (ifMatch != null && !etagMatches(ifMatch, o.etag())) {
      return error(HttpResponseStatus.PRECONDITION_FAILED, "PreconditionFailed",
          "At least one of the pre-conditions you specified did not hold", r);
    }
    String ifNoneMatch = r.header("If-None-Match");
    if (ifNoneMatch != null && etagMatches(ifNoneMatch, o.etag())) {
      Reply notModified = empty(HttpResponseStatus.NOT_MODIFIED);
      notModified.head().headers().set(HttpHeaderNames.ETAG, o.etag());
      return notModified;
    }
    ObjectContent content = o.content();
    HttpResponseStatus status = HttpResponseStatus.OK;
    String rangeHeader = r.header("Range");
    long start = 0;
    if (rangeHeader != null) {
      long[] range = range(rangeHeader, o.size());
      if (range == null) {
        return error(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "InvalidRange",
            "The requested range is not satisfiable", r);
      }
      start = range[0];
      content = content.slice(range[0], range[1] - range[0] + 1);
      status = HttpResponseStatus.PARTIAL_CONTENT;
    }
    boolean head0 = r.action.equals("HeadObject");
    HttpResponse head = head0 ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status)
        : new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    var h = head.headers();
    h.set(HttpHeaderNames.CONTENT_LENGTH, content.length());
    h.set(HttpHeaderNames.ETAG, o.etag());
    h.set(HttpHeaderNames.LAST_MODIFIED, HTTP_DATE.format(Instant.ofEpochMilli(o.lastModified())));
    h.set(HttpHeaderNames.CONTENT_TYPE, o.contentType() != null ? o.contentType()
        : "binary/octet-stream");
    h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    if (status == HttpResponseStatus.PARTIAL_CONTENT) {
      h.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + start + "-" + (start + content.length() - 1)
          + "/" + o.size());
    }
    int tags = store.tags(o.tagSet()).size();
    if (tags > 0) {
      h.set("x-amz-tagging-count", tags);
    }
    return new Reply(head, head0 ? null : content);
  }

  private Reply listObjects(S3Request r) {
    Bucket b = store.bucket(r.bucket);
    if (b == null) {
      return noSuchBucket(r);
    }
    boolean v2 = r.action.equals("ListObjectsV2");
    String prefix = r.param("prefix") == null ? "" : r.param("prefix");
    String delimiter = r.param("delimiter");
    int maxKeys = r.param("max-keys") == null ? 1000 : Integer.parseInt(r.param("max-keys"));
    String after = v2 ? (r.param("continuation-token") != null ? r.param("continuation-token")
        : r.param("start-after")) : r.param("marker");
    boolean url = "url".equals(r.param("encoding-type"));
    NavigableMap<String, S3Object> tail = after == null || after.isEmpty()
        ? b.objects.tailMap(prefix, true) : b.objects.tailMap(after, false);
    StringBuilder contents = new StringBuilder();
    TreeSet<String> common = new TreeSet<>();
    int n = 0;
    String last = null;
    boolean truncated = false;
    for (var e = tail.firstEntry(); e != null; e = tail.higherEntry(last)) {
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        if (key.compareTo(prefix) > 0) {
          break;
        }
        last = key;
        continue;
      }
      if (n >= maxKeys) {
        truncated = true;
        break;
      }
      int d = delimiter == null || delimiter.isEmpty() ? -1
          : key.indexOf(delimiter, prefix.length());
      if (d >= 0) {
        String cp = key.substring(0, d + delimiter.length());
        if (common.add(cp)) {
          n++;
        }
        // as S3 does, the rolled-up keys are skipped, not walked: the next key is past them
        last = tail.lowerKey(cp + Character.MAX_VALUE);
      } else {
        S3Object o = e.getValue();
        contents.append("<Contents><Key>").append(encode(key, url)).append("</Key><LastModified>")
            .append(S3Xml.iso(o.lastModified())).append("</LastModified><ETag>")
            .append(S3Xml.escape(o.etag())).append("</ETag><Size>").append(o.size())
            .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        n++;
        last = key;
      }
    }
    StringBuilder s = new StringBuilder(S3Xml.DECLARATION)
        .append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>")
        .append(S3Xml.escape(r.bucket)).append("</Name><Prefix>").append(encode(prefix, url))
        .append("</Prefix><MaxKeys>").append(maxKeys).append("</MaxKeys><IsTruncated>")
        .append(truncated).append("</IsTruncated>");
    if (delimiter != null) {
      s.append("<Delimiter>").append(encode(delimiter, url)).append("</Delimiter>");
    }
    if (url) {
      s.append("<EncodingType>url</EncodingType>");
    }
    if (v2) {
      s.append("<KeyCount>").append(n).append("</KeyCount>");
      if (r.param("continuation-token") != null) {
        s.append("<ContinuationToken>").append(S3Xml.escape(r.param("continuation-token")))
            .append("</ContinuationToken>");
      }
      if (truncated && last != null) {
        s.append("<NextContinuationToken>").append(S3Xml.escape(last))
            .append("</NextContinuationToken>");
      }
    } else {
      s.append("<Marker>").append(encode(after == null ? "" : after, url)).append("</Marker>");
      if (truncated && last != null) {
        s.append("<NextMarker>").append(encode(last, url)).append("</NextMarker>");
      }
    }
    s.append(contents);
    common.forEach(cp -> s.append("<CommonPrefixes><Prefix>").append(encode(cp, url))
        .append("</Prefix></CommonPrefixes>"));
    return xml(HttpResponseStatus.OK, s.append("</ListBucketResult>").toString());
  }

  private Reply deleteObjects(S3Request r) {
    Bucket b = store.bucket(r.bucket);
    if (b == null) {
      return noSuchBucket(r);
    }
    List<String> keys = S3Xml.parseDeleteKeys(r.bodyText());
    keys.forEach(k -> store.delete(b, k));
    return xml(HttpResponseStatus.OK, S3Xml.deleteResult(keys));
  }

  private Reply copyPreconditions(S3Request r, S3Object from) {
    String ifMatch = r.header("x-amz-copy-source-if-match");
    String ifNoneMatch = r.header("x-amz-copy-source-if-none-match");
    if ((ifMatch != null && !etagMatches(ifMatch, from.etag()))
        || (ifNoneMatch != null && etagMatches(ifNoneMatch, from.etag()))) {
      return error(HttpResponseStatus.PRECONDITION_FAILED, "PreconditionFailed",
          "At least one of the pre-conditions you specified did not hold", r);
    }
    return null;
  }

  private static boolean etagMatches(String condition, String etag) {
    String bare = etag.replace("\"", "");
    for (String c : condition.split(",")) {
      String t = c.trim().replace("\"", "");
      if (t.equals("*") || t.equals(bare)) {
        return true;
      }
    }
    return false;
  }

  /** A {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} range, as inclusive bounds. */
  private static long[] range(String header, long size) {
    if (header == null || !header.startsWith("bytes=")) {
      return header == null ? new long[] {0, size - 1} : null;
    }
    String spec = header.substring(6);
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    long start;
    long end;
    if (dash == 0) {
      long n = Long.parseLong(spec.substring(1));
      start = Math.max(0, size - n);
      end = size - 1;
    } else {
      start = Long.parseLong(spec.substring(0, dash));
      end = dash == spec.length() - 1 ? size - 1
          : Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
    }
    return start > end || start >= size ? null : new long[] {start, end};
  }

  private static String encode(String s, boolean url) {
    return url ? URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")
        : S3Xml.escape(s);
  }

  private static Reply xml(HttpResponseStatus status, String body) {
    var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/xml")
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set("x-amz-request-id", "load-s3");
    return new Reply(response, null);
  }

  private static Reply empty(HttpResponseStatus status) {
    var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set("x-amz-request-id", "load-s3");
    return new Reply(response, null);
  }

  private static Reply error(HttpResponseStatus status, String code, String message,
      S3Request r) {
    if (r.action.equals("HeadObject") || r.action.equals("HeadBucket")) {
      // HEAD answers carry no body; the SDK reads the code from the status.
      return empty(status);
    }
    return xml(status, S3Xml.error(code, message, r.resource()));
  }

  private static Reply noSuchBucket(S3Request r) {
    return error(HttpResponseStatus.NOT_FOUND, "NoSuchBucket",
        "The specified bucket does not exist", r);
  }

  private static Reply noSuchKey(S3Request r) {
    return error(HttpResponseStatus.NOT_FOUND, "NoSuchKey", "The specified key does not exist.",
        r);
  }

  private static Reply noSuchUpload(S3Request r) {
    return error(HttpResponseStatus.NOT_FOUND, "NoSuchUpload",
        "The specified upload does not exist.", r);
  }
}
