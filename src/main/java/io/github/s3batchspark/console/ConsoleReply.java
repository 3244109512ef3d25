package io.github.s3batchspark.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the console's answers, each with the headers that keep a page from being framed,
 * sniffed into another type or made to run script from anywhere but this server.
 */
final class ConsoleReply {
  private ConsoleReply() {}

  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json; charset=utf-8",
        JobViews.JSON.writeValueAsBytes(body));
  }

  static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, JobViews.JSON.createObjectNode().put("error", message));
  }

  static void redirect(HttpExchange exchange, String location, String cookie)
      throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.getResponseHeaders().set("Set-Cookie", cookie);
    send(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    protect(exchange.getResponseHeaders(), contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * Sends {@code length} bytes of {@code in} as they are read (a report file may be larger than
   * memory), shown in the browser or, with {@code downloadAs}, saved under that name.
   */
  static void stream(HttpExchange exchange, String contentType, String downloadAs, long length,
      InputStream in) throws IOException {
    protect(exchange.getResponseHeaders(), contentType);
    if (downloadAs != null) {
      exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\""
          + downloadAs.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
    }
    exchange.sendResponseHeaders(200, length <= 0 ? -1 : length);
    if (length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }

  private static void protect(Headers headers, String contentType) {
    headers.set("Content-Type", contentType);
    headers.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cache-Control", "no-store");
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
