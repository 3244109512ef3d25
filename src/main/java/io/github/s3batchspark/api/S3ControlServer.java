package io.github.s3batchspark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.github.s3batchspark.api.ApiModel.Operation;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The s3control REST API over HTTP: {@code /v20180820/jobs...} as botocore's model has it.
 *
 * <p>Any Host header is accepted, and request targets in absolute form ({@code GET
 * http://123456789012.127.0.0.1:8080/v20180820/jobs}): AWS clients put the account id in front
 * of the endpoint's host, a name that resolves nowhere, so they reach this server through it as
 * an HTTP proxy. Every request is signed (SigV4) with one of the configured keys and names the
 * served account in {@code x-amz-account-id}; the answer is REST-XML, or S3 Control's error
 * document.
 */
public final class S3ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3ControlServer.class);
  private static final int MAX_BODY = 1 << 20;
  private static final int THREADS = 4;

  private final HttpServer http;
  private final ExecutorService threads;
  private final ApiModel model = ApiModel.get();
  private final List<Route> routes = new ArrayList<>();
  private final RequestSignature signature;
  private final JobApi jobs;
  private final String accountId;

  /** One operation's method and path, the path's {@code {id}} as a group. */
  private record Route(Operation operation, Pattern path) {}

  private S3ControlServer(ApiSettings settings, JobStore store, ClientSettings clients,
      Clock clock) throws IOException {
    this.signature = new RequestSignature(settings.keys(), clock);
    this.jobs = new JobApi(store, clients, settings.accountId());
    this.accountId = settings.accountId();
    model.operations().values().forEach(op -> routes.add(new Route(op, Pattern.compile(
        op.requestUri().replaceAll("\\{[^}]+}", "([^/]+)")))));
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "s3control-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.http = HttpServer.create(new InetSocketAddress(settings.bindAddress(),
        settings.port()), 0);
    http.setExecutor(threads);
    http.createContext("/", this::handle);
  }

  /**
   * Starts answering on {@code settings}' address and port.
   *
   * @throws UncheckedIOException when the address cannot be bound (in use, not ours)
   */
  public static S3ControlServer start(ApiSettings settings, JobStore store,
      ClientSettings clients) {
    return start(settings, store, clients, Clock.systemUTC());
  }

  static S3ControlServer start(ApiSettings settings, JobStore store, ClientSettings clients,
      Clock clock) {
    try {
      S3ControlServer server = new S3ControlServer(settings, store, clients, clock);
      server.http.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + settings.bindAddress() + ":"
          + settings.port() + ": " + e.getMessage(), e);
    }
  }

  /** {@code http://127.0.0.1:PORT}: the endpoint clients are given. */
  public URI url() {
    InetSocketAddress at = http.getAddress();
    return URI.create("http://" + at.getAddress().getHostAddress() + ":" + at.getPort());
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /**
   * Answers requests under {@code pathPrefix} with {@code handler} instead of the API, on the
   * same address and port (the web console). The API's signature and account checks do not
   * apply there: the handler lets in whom it chooses, and has no way into the API's requests.
   */
  public void serveAlongside(String pathPrefix, HttpHandler handler) {
    if (pathPrefix.startsWith("/v20180820")) {
      throw new IllegalArgumentException(pathPrefix + " is the API's own path");
    }
    http.createContext(pathPrefix, handler);
  }

  /** Stops listening, lets requests under way finish (a second at most), and returns. */
  @Override
  public void close() {
    http.stop(1);
    threads.shutdown();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16)
        .toUpperCase(Locale.ROOT);
    try (exchange) {
      try {
        ApiRequest request = read(exchange);
        signature.verify(request);
        respond(exchange, 200, answer(request), requestId);
      } catch (RuntimeException e) {
        ApiError error = ApiError.of(e);
        if (error.status() >= 500) {
          LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
        respond(exchange, error.status(), error.toXml(requestId), requestId);
      }
    }
  }

  /** The operation's output as XML; empty when it has no output members. */
  private byte[] answer(ApiRequest request) {
    for (Route route : routes) {
      Matcher m = route.path().matcher(request.rawPath());
      if (route.operation().method().equals(request.method()) && m.matches()) {
        checkAccount(request.header("x-amz-account-id"));
        Operation op = route.operation();
        ObjectNode body = request.body().length == 0 ? JsonNodeFactory.instance.objectNode()
            : ShapeXml.read(request.body(), model.shape(op.input()), model);
        String jobId = m.groupCount() > 0 ? ApiRequest.decode(m.group(1)) : null;
        JsonNode output = jobs.call(new JobApi.Call(op.name(), jobId, request.query(), body));
        return op.output() == null || model.shape(op.output()).members().isEmpty()
            ? new byte[0] : ShapeXml.write(op.output(), output, model.shape(op.output()), model);
      }
    }
    throw new ApiError(404, "NoSuchResource", "no S3 Control operation answers "
        + request.method() + " " + request.rawPath() + " here; the job operations do");
  }

  private void checkAccount(String requested) {
    if (requested == null) {
      throw ApiError.invalidRequest("the x-amz-account-id header is required: the account id "
          + "(" + accountId + " here)");
    }
    if (!requested.equals(accountId)) {
      throw ApiError.accessDenied("Access Denied: account " + requested + " is not the "
          + "account this server serves");
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] bytes,
      String requestId) throws IOException {
    exchange.getResponseHeaders().set("x-amz-request-id", requestId);
    exchange.getResponseHeaders().set("x-amz-id-2", requestId);
    if (bytes.length > 0) {
      exchange.getResponseHeaders().set("Content-Type", "application/xml");
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The request as it came: absolute-form targets and any Host are taken as they are. */
  private static ApiRequest read(HttpExchange exchange) throws IOException {
    URI target = exchange.getRequestURI();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw ApiError.badRequest("the request body is larger than " + MAX_BODY + " bytes");
    }
    String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/"
        : target.getRawPath();
    return new ApiRequest(exchange.getRequestMethod(), path, target.getRawQuery(), headers,
        body);
  }
}
