package io.github.s3batchspark.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.s3batchspark.execution.ClientSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * An HTTP proxy in front of a {@link LocalS3Server} that lets a test act at an exact point of a
 * request chain: before the first request that matches, it runs the test's action (for example
 * overwriting the source object between a multipart copy's HEAD and its first UploadPartCopy),
 * then forwards everything unchanged. It also records every request, so that a test can check
 * headers that neither server acts on (such as {@code x-amz-request-payer}). The servers do not
 * check signatures, so the changed Host does not matter.
 */
public final class ForwardingS3Proxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length",
      "expect", "upgrade", "transfer-encoding", "keep-alive", "date");

  /** A request as the proxy sees it: method, decoded path, raw query and headers. */
  /** A request as the proxy sees it, and when it arrived ({@link System#currentTimeMillis}). */
  public record Request(String method, String path, String query, Map<String, List<String>> headers,
      long receivedAtMillis) {
    public boolean hasHeader(String name) {
      return header(name) != null;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private final LocalS3Server target;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<Hook> hook = new AtomicReference<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private final AtomicReference<Refusal> refusal = new AtomicReference<>();
  private final Map<String, String> owners = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> regions = new java.util.concurrent.ConcurrentHashMap<>();

  private record Hook(Predicate<Request> when, Runnable action) {}

  private record Refusal(Predicate<Request> when, int status, String errorCode) {}

  private record Delay(Predicate<Request> when, long millis) {}

  private final AtomicReference<Delay> delay = new AtomicReference<>();

  private record Rewrite(Predicate<Request> when, String header, String value, byte[] body,
      int status) {}

  private final List<Rewrite> rewrites = new CopyOnWriteArrayList<>();

  public ForwardingS3Proxy(LocalS3Server target) {
    this.target = target;
    try {
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the proxy port", e);
    }
    server.createContext("/", this::forward);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** Runs {@code action} once, just before forwarding the first request that matches. */
  public void beforeFirst(Predicate<Request> when, Runnable action) {
    hook.set(new Hook(when, action));
  }

  /**
   * Answers the first request that matches with an S3 error ({@code status}, {@code errorCode})
   * instead of forwarding it, as a store under load answers 503 SlowDown; later ones go through.
   */
  public void refuseFirst(Predicate<Request> when, int status, String errorCode) {
    refusal.set(new Refusal(when, status, errorCode));
  }

  /**
   * Makes {@code accountId} the owner of {@code bucket} as S3 enforces it, which neither local
   * server does: a request to the bucket whose {@code x-amz-expected-bucket-owner} names another
   * account is answered 403 AccessDenied; a request without the header goes through.
   */
  public void bucketOwner(String bucket, String accountId) {
    owners.put(bucket, accountId);
  }

  /**
   * Puts {@code bucket} in {@code region} as S3 enforces it: a request to the bucket signed for
   * another region is answered 301 PermanentRedirect with the bucket's region in
   * {@code x-amz-bucket-region}, which is how a client learns where a bucket lives.
   */
  public void bucketRegion(String bucket, String region) {
    regions.put(bucket, region);
  }

  /**
   * Holds every request that matches for {@code millis} before forwarding it, as a distant store
   * answers: a job of a few thousand objects then lasts long enough to be watched and steered.
   */
  public void delay(Predicate<Request> when, long millis) {
    delay.set(new Delay(when, millis));
  }

  /**
   * Adds a header to the answers of the requests that match, as S3 sends one that the local
   * server does not (an object's {@code x-amz-replication-status}).
   */
  public void answerHeader(Predicate<Request> when, String header, String value) {
    rewrites.add(new Rewrite(when, header, value, null, 0));
  }

  /**
   * Replaces the body of the answers of the requests that match, as S3 would answer them (a
   * replication configuration's rule filters, which moto drops).
   */
  public void answerBody(Predicate<Request> when, String body) {
    rewrites.add(new Rewrite(when, null, null, body.getBytes(StandardCharsets.UTF_8), 0));
  }

  /** Replaces the status of the answers of the requests that match. */
  public void answerStatus(Predicate<Request> when, int status) {
    rewrites.add(new Rewrite(when, null, null, null, status));
  }

  /** Every request seen so far (forwarded or refused), in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Client settings that send the executors' requests through this proxy. */
  public ClientSettings clientSettings() {
    return target.clientSettings()
        .withEndpoint("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      Request seen = new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
          Map.copyOf(exchange.getRequestHeaders()), System.currentTimeMillis());
      requests.add(seen);
      Hook h = hook.get();
      if (h != null && h.when().test(seen) && hook.compareAndSet(h, null)) {
        h.action().run();
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Delay d = delay.get();
      if (d != null && d.when().test(seen)) {
        Thread.sleep(d.millis());
      }
      Refusal r = refusal.get();
      if (r != null && r.when().test(seen) && refusal.compareAndSet(r, null)) {
        refuse(exchange, r);
        return;
      }
      String home = regions.get(bucketOf(seen));
      if (home != null && !home.equals(signingRegion(seen))) {
        exchange.getResponseHeaders().set("x-amz-bucket-region", home);
        refuse(exchange, new Refusal(any -> true, 301, "PermanentRedirect"));
        return;
      }
      if (ofAnotherOwner(seen)) {
        refuse(exchange, new Refusal(any -> true, 403, "AccessDenied"));
        return;
      }
      HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(target.endpoint()
              + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
          .method(seen.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
          values.forEach(v -> out.header(name, v));
        }
      });
      HttpResponse<byte[]> answer = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
      answer.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      boolean head = seen.method().equals("HEAD");
      answer.headers().firstValue("content-length").filter(l -> head)
          .ifPresent(l -> exchange.getResponseHeaders().set("Content-Length", l));
      byte[] payload = answer.body();
      int status = answer.statusCode();
      for (Rewrite rewrite : rewrites) {
        if (rewrite.when().test(seen)) {
          if (rewrite.header() != null) {
            exchange.getResponseHeaders().set(rewrite.header(), rewrite.value());
          }
          if (rewrite.body() != null) {
            payload = rewrite.body();
          }
          if (rewrite.status() != 0) {
            status = rewrite.status();
          }
        }
      }
      exchange.sendResponseHeaders(status,
          head || payload.length == 0 ? -1 : payload.length);
      if (!head && payload.length > 0) {
        try (OutputStream o = exchange.getResponseBody()) {
          o.write(payload);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Path-style addressing: the bucket is the path's first segment. */
  private static String bucketOf(Request seen) {
    return seen.path().replaceFirst("^/", "").split("/", 2)[0];
  }

  /** The region of a SigV4 signature's credential scope: Credential=KEY/DATE/REGION/s3/... */
  public static String signingRegion(Request seen) {
    String authorization = seen.header("Authorization");
    if (authorization == null || !authorization.contains("Credential=")) {
      return null;
    }
    String[] scope = authorization.substring(authorization.indexOf("Credential=") + 11)
        .split("[,\\s]", 2)[0].split("/");
    return scope.length > 2 ? scope[2] : null;
  }

  private boolean ofAnotherOwner(Request seen) {
    String expected = seen.header("x-amz-expected-bucket-owner");
    String owner = owners.get(bucketOf(seen));
    return expected != null && owner != null && !owner.equals(expected);
  }

  private static void refuse(HttpExchange exchange, Refusal r) throws IOException {
    byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + r.errorCode()
        + "</Code><Message>refused by the test's proxy</Message></Error>")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    if (exchange.getRequestMethod().equals("HEAD")) { // an answer to HEAD has no body
      exchange.sendResponseHeaders(r.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(r.status(), xml.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(xml);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
