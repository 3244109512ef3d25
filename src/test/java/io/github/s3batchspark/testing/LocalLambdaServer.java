package io.github.s3batchspark.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local endpoint that speaks Lambda's {@code Invoke} REST API and runs Java handlers in
 * process, so that LambdaInvoke is tested through the real SDK client and real handler code.
 *
 * <p>What it implements of the API: {@code POST /2015-03-31/functions/{name}/invocations} with a
 * function name, full or partial ARN (a qualifier is accepted and ignored); a handler that throws
 * answers 200 with {@code X-Amz-Function-Error: Unhandled} and Lambda's error payload
 * ({@code errorMessage}, {@code errorType}, {@code stackTrace}); {@code X-Amz-Log-Type: Tail}
 * returns a base64 {@code X-Amz-Log-Result}; an unknown function is a 404
 * {@code ResourceNotFoundException}. Each request runs on its own thread, as concurrent
 * invocations run in separate Lambda sandboxes.
 */
public final class LocalLambdaServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INVOKE =
      Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");

  /** A function: the event JSON in, the response JSON out. */
  @FunctionalInterface
  public interface Handler {
    String handle(String event) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, Handler> functions = new ConcurrentHashMap<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  public LocalLambdaServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local Lambda endpoint", e);
    }
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "local-lambda");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/", this::serve);
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Deploys (or replaces) a function under this name. */
  public LocalLambdaServer deploy(String name, Handler handler) {
    functions.put(name, handler);
    return this;
  }

  /** Every event any function received, in arrival order. */
  public List<String> events() {
    return List.copyOf(events);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher m = INVOKE.matcher(exchange.getRequestURI().getRawPath());
      if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
        send(exchange, 404, Map.of("x-amzn-ErrorType", "UnknownOperationException"),
            "{\"message\":\"not an Invoke request\"}");
        return;
      }
      String name = functionName(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
      Handler handler = functions.get(name);
      if (handler == null) {
        send(exchange, 404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
            "{\"Type\":\"User\",\"message\":\"Function not found: " + name + "\"}");
        return;
      }
      String event = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      events.add(event);
      invoke(exchange, name, handler, event);
    }
  }

  private static void invoke(HttpExchange exchange, String name, Handler handler, String event)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Amz-Executed-Version", "$LATEST");
    if ("Tail".equals(exchange.getRequestHeaders().getFirst("X-Amz-Log-Type"))) {
      headers.put("X-Amz-Log-Result", Base64.getEncoder().encodeToString(
          ("START " + name + "\nEND " + name + "\n").getBytes(StandardCharsets.UTF_8)));
    }
    String body;
    try {
      body = handler.handle(event);
    } catch (Exception e) {
      headers.put("X-Amz-Function-Error", "Unhandled");
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("errorMessage", e.getMessage());
      error.put("errorType", e.getClass().getName());
      error.put("stackTrace", List.of());
      body = JSON.writeValueAsString(error);
    }
    send(exchange, 200, headers, body);
  }

  /** {@code arn:aws:lambda:us-east-1:123456789012:function:name:alias} -> {@code name}. */
  private static String functionName(String nameOrArn) {
    int function = nameOrArn.indexOf("function:");
    String name = function >= 0 ? nameOrArn.substring(function + "function:".length())
        : nameOrArn;
    int qualifier = name.indexOf(':');
    return qualifier >= 0 ? name.substring(0, qualifier) : name;
  }

  private static void send(HttpExchange exchange, int status, Map<String, String> headers,
      String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
