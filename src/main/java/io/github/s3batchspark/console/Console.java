package io.github.s3batchspark.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.s3batchspark.api.S3ControlServer;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.S3aOptions;
import io.github.s3batchspark.job.JobDirectory;
import io.github.s3batchspark.job.JobNotFoundException;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpecException;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.Refusal;
import io.github.s3batchspark.console.ConsoleSessions.Session;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /console/} on the API server's port. Every request needs the
 * session that the start-up token bought (401 without it); every change is a POST with the
 * session's CSRF token in {@code X-CSRF-Token} (403 without it), so that another site's page
 * cannot make the browser change a job.
 */
public final class Console implements HttpHandler {
  static final String PATH = "/console/";
  private static final Logger LOG = LoggerFactory.getLogger(Console.class);
  private static final int MAX_BODY = 1 << 20;
  private static final Map<String, String> FILES = Map.of(
      "", "index.html", "job", "job.html", "console.js", "console.js",
      "console.css", "console.css");

  /** A job's completion report: {@code report?id=ID}, a file of it {@code &file=KEY}. */
  static final String REPORT = "report";

  private static final Set<String> CHANGES = Set.of("create", "status", "priority");

  private final ConsoleSessions sessions = new ConsoleSessions();
  private final JobStore store;
  private final JobActions actions;
  private final ReportFailures failures;
  private final CompletionReportFiles reports;
  private final URI base;

  private Console(S3ControlServer server, JobStore store, ClientSettings clients,
      String accountId) {
    this.store = store;
    this.actions = new JobActions(store, clients, accountId);
    Configuration conf = new Configuration();
    S3aOptions.configureFor(conf, clients, store.location());
    this.failures = new ReportFailures(conf);
    this.reports = new CompletionReportFiles(clients);
    this.base = server.url().resolve(PATH);
  }

  /** Serves the console of {@code accountId}'s jobs beside {@code server}'s API. */
  public static Console attach(S3ControlServer server, JobStore store, ClientSettings clients,
      String accountId) {
    Console console = new Console(server, store, clients, accountId);
    server.serveAlongside(PATH, console);
    return console;
  }

  /** The address to print at start: it signs in the first browser that opens it. */
  public URI signInUrl() {
    return URI.create(base + "?token=" + sessions.loginToken());
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (JobSpecException e) {
        ObjectNode body = JobViews.JSON.createObjectNode();
        ArrayNode problems = body.putArray("problems");
        e.problems().forEach(p -> problems.add(FieldProblem.of(p).toJson()));
        ConsoleReply.json(exchange, 400, body);
      } catch (ConsoleException e) {
        ConsoleReply.error(exchange, e.status(), e.getMessage());
      } catch (RuntimeException e) {
        if (!(e instanceof Refusal)) {
          LOG.error("console: {} {} failed", exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(), e);
        }
        ConsoleReply.error(exchange, e instanceof Refusal ? refusalStatus(e) : 500,
            e.getMessage());
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String name = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (name.isEmpty() && query.containsKey("token")) {
      signIn(exchange, query.get("token"));
      return;
    }
    Session session = sessions.of(exchange.getRequestHeaders().getFirst("Cookie"))
        .orElseThrow(() -> new ConsoleException(401, "sign in first: open the console address"
            + " with the token that s3batch serve printed when it started"));
    boolean post = exchange.getRequestMethod().equals("POST");
    if (post) {
      checkCsrf(exchange, session);
    } else if (!exchange.getRequestMethod().equals("GET")) {
      throw new ConsoleException(405, "the console answers GET and POST only");
    }
    if (name.startsWith("api/")) {
      answer(exchange, name.substring(4), post, query, session);
    } else if (!post && name.equals(REPORT)) {
      reports.send(exchange, actions.job(query.get("id")), query.get("file"));
    } else if (!post && FILES.containsKey(name)) {
      file(exchange, FILES.get(name));
    } else {
      throw new ConsoleException(404, "no console page " + path);
    }
  }

  private void answer(HttpExchange exchange, String call, boolean post, Map<String, String> query,
      Session session) throws IOException {
    String id = query.get("id");
    ObjectNode body = switch ((post ? "POST " : "GET ") + call) {
      case "GET session" -> JobViews.JSON.createObjectNode()
          .put("csrfToken", session.csrfToken());
      case "GET jobs" -> JobViews.list(store.list().ofAccount(actions.accountId()).jobs());
      case "GET job" -> jobPage(actions.job(id));
      case "POST create" -> JobViews.JSON.createObjectNode()
          .put("jobId", actions.create(body(exchange)).jobId());
      case "POST status" -> jobPage(actions.requestStatus(id, query.get("status")));
      case "POST priority" -> jobPage(actions.requestPriority(id, query.get("priority")));
      default -> throw new ConsoleException(CHANGES.contains(call) || post ? 405 : 404,
          "no console call " + (post ? "POST " : "GET ") + call + (post ? ""
              : CHANGES.contains(call) ? ": a change is a POST" : ""));
    };
    ConsoleReply.json(exchange, 200, body);
  }

  private ObjectNode jobPage(JobRecord job) {
    return JobViews.detail(job, failures.read(JobDirectory.of(store, job.jobId()).reportTable()),
        Instant.now());
  }

  private void signIn(HttpExchange exchange, String token) throws IOException {
    Optional<Session> session = sessions.signIn(token);
    if (session.isEmpty()) {
      throw new ConsoleException(403, "this sign-in token is wrong or was used already: "
          + "restart s3batch serve for a new one");
    }
    ConsoleReply.redirect(exchange, PATH, ConsoleSessions.COOKIE + "=" + session.get().id()
        + "; Path=" + PATH + "; HttpOnly; SameSite=Strict");
  }

  private static void checkCsrf(HttpExchange exchange, Session session) {
    if (!ConsoleSessions.same(exchange.getRequestHeaders().getFirst("X-CSRF-Token"),
        session.csrfToken())) {
      throw new ConsoleException(403, "a change needs the page's CSRF token: reload the "
          + "console page and try again");
    }
  }

  private static void file(HttpExchange exchange, String file) throws IOException {
    try (InputStream in = Console.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("the console's " + file + " is missing from the jar");
      }
      String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css")
          ? "text/css" : "text/html";
      ConsoleReply.send(exchange, 200, type + "; charset=utf-8", in.readAllBytes());
    }
  }

  private static String body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw new ConsoleException(413, "the job JSON is larger than " + MAX_BODY + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        out.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return out;
  }

  private static int refusalStatus(RuntimeException e) {
    return e instanceof IllegalStateException ? 409 : e instanceof JobNotFoundException ? 404
        : 400;
  }
}
