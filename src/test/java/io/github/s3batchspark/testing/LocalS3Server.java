package io.github.s3batchspark.testing;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-protocol server on 127.0.0.1, started once per test JVM and stopped when it exits.
 *
 * <p>Two servers, because each implements what the other lacks: {@link #s3mock()} (Adobe
 * S3Mock, from Maven Central, copied to target/s3mock by the build) honours
 * {@code x-amz-copy-source-if-match} and {@code If-Match}, which the ETag guard needs;
 * {@link #moto()} (moto_server) serves versioning, Object Lock and the other AWS services.
 */
public final class LocalS3Server {
  /**
   * The one SSE-KMS key S3Mock knows. S3Mock refuses every other key with 400
   * KMS.NotFoundException, as S3 does; it matches the key id of a request, not the ARN, so
   * requests name the key by {@link #S3MOCK_KMS_KEY_ID}.
   */
  public static final String S3MOCK_KMS_KEY_ARN =
      "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-s3mock-known-key";
  public static final String S3MOCK_KMS_KEY_ID = "0a1b2c3d-s3mock-known-key";

  /**
   * How long a server may take to answer before the test gives up on it: a guard against one
   * that never comes up, not a time limit. S3Mock (a Spring Boot JVM) once took over 90 s on a
   * 2-core machine at load 20, failing ExecutorClientsTest before it had made a single call.
   */
  private static final Duration START_GUARD = Duration.ofSeconds(300);

  private static LocalS3Server s3mock;
  private static LocalS3Server moto;

  private final String name;
  private final String endpoint;
  private final Process process;

  static {
    // The SDK's default chains read these: the servers accept any credentials.
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("aws.region", "us-east-1");
  }

  private LocalS3Server(String name, String endpoint, Process process) {
    this.name = name;
    this.endpoint = endpoint;
    this.process = process;
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  /** Adobe S3Mock: implements conditional copy and conditional reads. */
  public static synchronized LocalS3Server s3mock() {
    if (s3mock == null) {
      String jar = System.getProperty("s3mock.jar", "target/s3mock/s3mock.jar");
      if (!new File(jar).isFile()) {
        throw new IllegalStateException("S3Mock jar not found at " + jar
            + ": run the tests through Maven (mvn test), which copies it there");
      }
      // The free port is free only until another process takes it: on a shared machine one
      // did (S3Mock exited with "Address already in use"), so a lost port gets a new one.
      for (int attempt = 1; s3mock == null; attempt++) {
        int port = freePort();
        try {
          Path root = Files.createTempDirectory("s3mock");
          List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-jar", jar,
              "--server.port=0", "--com.adobe.testing.s3mock.httpPort=" + port,
              "--com.adobe.testing.s3mock.store.root=" + root,
              "--com.adobe.testing.s3mock.store.validKmsKeys=" + S3MOCK_KMS_KEY_ARN,
              "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
          s3mock = start("S3Mock", cmd, port);
        } catch (IOException e) {
          throw new IllegalStateException("cannot start S3Mock", e);
        } catch (IllegalStateException e) {
          if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
            throw e;
          }
        }
      }
    }
    return s3mock;
  }

  /** moto_server (Python moto 5): S3 with versioning and Object Lock, plus other AWS services. */
  public static synchronized LocalS3Server moto() {
    if (moto == null) {
      int port = freePort();
      moto = start("moto_server", List.of("moto_server", "-H", "127.0.0.1", "-p",
          String.valueOf(port)), port);
    }
    return moto;
  }

  /**
   * A moto_server of the caller's own, for a test that changes what the whole server does (IAM
   * enforcement, see {@link MotoIam}) and must not change it for the other tests; the caller
   * stops it with {@link #stop()}.
   */
  public static LocalS3Server ownMoto() {
    int port = freePort();
    return start("moto_server (own)", List.of("moto_server", "-H", "127.0.0.1", "-p",
        String.valueOf(port)), port);
  }

  /**
   * A moto_server of the caller's own that serves one request at a time. moto checks
   * {@code If-None-Match: *} and then stores the object in two steps, without a lock, so on its
   * threaded server two racing PUTs for one key can both succeed (a lost update about one run in
   * five of the job store's race test). S3 makes that check and write one atomic step; serving
   * requests one by one is how a test gets that atomicity from moto. The caller stops it with
   * {@link #stop()}.
   */
  public static LocalS3Server serialMoto() {
    int port = freePort();
    String serve = "import sys\n"
        + "from werkzeug.serving import run_simple\n"
        + "from moto.moto_server.werkzeug_app import DomainDispatcherApplication,"
        + " create_backend_app\n"
        + "run_simple('127.0.0.1', int(sys.argv[1]),"
        + " DomainDispatcherApplication(create_backend_app), threaded=False)\n";
    return start("moto_server (serial)", List.of("python3", "-c", serve,
        String.valueOf(port)), port);
  }

  private static LocalS3Server start(String name, List<String> cmd, int port) {
    try {
      File log = File.createTempFile(name.replace(' ', '_'), ".log");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log).start();
      String endpoint = "http://127.0.0.1:" + port;
      Instant deadline = Instant.now().plus(START_GUARD);
      while (Instant.now().isBefore(deadline)) {
        if (!p.isAlive()) {
          throw new IllegalStateException(name + " exited at start: "
              + Files.readString(log.toPath()));
        }
        if (answers(endpoint)) {
          return new LocalS3Server(name, endpoint, p);
        }
        Thread.sleep(200);
      }
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not answer on " + endpoint + " within "
          + START_GUARD.toSeconds() + " s");
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean answers(String endpoint) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/").toURL()
          .openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code > 0;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String name() {
    return name;
  }

  public String endpoint() {
    return endpoint;
  }

  /**
   * Client settings that point the job's executors at this server, signed with the caller's
   * credentials: the tests that prove a job signs as its role choose it themselves.
   */
  public ClientSettings clientSettings() {
    return ClientSettings.defaults().withEndpoint(endpoint).withRegion("us-east-1")
        .withCallerCredentials();
  }

  /** A synchronous client for seeding buckets and reading results back in tests. */
  public S3Client client() {
    return ExecutorClients.syncClient(clientSettings());
  }

  public boolean alive() {
    return process.isAlive();
  }

  /**
   * Stops a server of the caller's own ({@link #ownMoto()}, {@link #serialMoto()}); the shared
   * ones stop at exit.
   */
  public void stop() {
    if (this == s3mock || this == moto) {
      throw new IllegalStateException(name + " is shared by every test of this JVM");
    }
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
