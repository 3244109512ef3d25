package io.github.s3batchspark.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.s3batchspark.api.AccessKeys;
import io.github.s3batchspark.api.ApiSettings;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.notify.NoticeSettings;
import io.github.s3batchspark.notify.NotifyingJobStore;
import io.github.s3batchspark.service.Serve;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.HeadlessChromium;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 15's "the browser test creates, watches and cancels a job through the console", for
 * real: serve's parts started as serve starts them ({@link Serve}: the job service on a local
 * Spark, the API and its console), a job pasted, confirmed, watched and cancelled in a headless
 * Chromium while the service runs it, then its outcome checked in the store, on the S3 server
 * and in the completion report the page links to. S3Mock sits behind a proxy that holds each
 * tagging request, so that the job runs long enough to be watched and stopped.
 */
class ConsoleJobFlowBrowserTest {
  private static final String ACCOUNT = "123456789012";
  private static final int OBJECTS = 300;
  private static final String TAG = "console-flow";
  private static final Predicate<ForwardingS3Proxy.Request> TAGGING =
      r -> r.method().equals("PUT") && r.query() != null && r.query().contains("tagging");
  private static final LocalS3Server S3MOCK = LocalS3Server.s3mock();
  private static final S3Client S3 = S3MOCK.client();

  private static ForwardingS3Proxy proxy;
  private static Serve serve;
  private static WebDriver browser;
  private static String bucket;
  private static String manifestEtag;

  @BeforeAll
  static void serveRunningJobsAndSignIn() throws Exception {
    bucket = Buckets.create(S3, "console-flow");
    ExecutorService puts = Executors.newFixedThreadPool(16);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < OBJECTS; i++) {
      String key = String.format("photos/%04d.jpg", i);
      csv.append(bucket).append(',').append(key).append('\n');
      puts.submit(() -> Buckets.put(S3, bucket, key, "jpeg"));
    }
    puts.shutdown();
    assertTrue(puts.awaitTermination(2, TimeUnit.MINUTES));
    manifestEtag = S3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    proxy = new ForwardingS3Proxy(S3MOCK);
    // 2 partitions of 2 requests in flight, each held 250 ms: at most 16 objects a second, so
    // the job would take about 20 s if nobody cancelled it
    proxy.delay(TAGGING, 250);
    ClientSettings clients = proxy.clientSettings();
    NotifyingJobStore store = new NotifyingJobStore(HadoopJobStore.open(
        Files.createTempDirectory("console-flow-store").toString(), new Configuration(), null),
        NoticeSettings.none(clients), Set.of(), Clock.systemUTC());
    // serve's defaults but for the requests in flight: the job is one wave (too small for an
    // early-failure wave), so that the cancel lands while its tasks run
    RunSettings settings = RunSettings.defaults().withClients(clients).withPartitions(2)
        .withRunner(RunSettings.defaults().runner().withInFlight(2));
    serve = Serve.on(store, new ApiSettings(ApiSettings.LOCAL_ONLY, 0, ACCOUNT,
            AccessKeys.of("AKIACONSOLEFLOW00001", "console-flow-secret")), clients)
        .runningJobs(LocalSpark.session(), settings, 1, Duration.ofMillis(500),
            NoticeSettings.none(clients))
        .start();
    browser = HeadlessChromium.start();
    browser.get(serve.console().signInUrl().toString());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (serve != null) {
      serve.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  @Timeout(120)
  void jobPastedConfirmedWatchedAndCancelledInThePageStopsPartWayWithOneReportRowPerTaskRun()
      throws Exception {
    String jobId = pasteAndCreate();
    waitForStatus("Suspended");
    assertEquals(0, proxy.requests().stream().filter(TAGGING).count(),
        "a job waiting for confirmation touches no object");

    browser.findElement(By.id("confirm-button")).click();
    List<Long> readings = watchProgressWhileActive(2);
    assertTrue(readings.get(1) > readings.get(0) && readings.get(0) > 0, readings.toString());
    assertTrue(chartLabel().matches("[1-9]\\d* of " + OBJECTS + " tasks done"), chartLabel());

    browser.findElement(By.id("cancel-button")).click();
    waitForStatus("Cancelled");
    assertFalse(browser.findElement(By.id("cancel-button")).isEnabled(),
        "a cancelled job cannot be cancelled again");

    JobRecord ended = serve.store().get(jobId);
    assertEquals(JobStatus.CANCELLED, ended.status());
    long done = ended.progress().numberOfTasksDone();
    assertTrue(done > 0 && done < OBJECTS, "the cancel stopped the job part way: " + done);
    assertEquals(done, shownDone(), "the page shows the job's final count");
    TreeSet<String> tagged = taggedKeys();
    assertEquals(done, tagged.size(), "objects tagged on the server");

    Map<String, String> rows = reportRowsThroughThePage(ended);
    assertEquals(tagged, new TreeSet<>(rows.keySet()),
        "every object tagged has its one report row, and no other has one");
    assertEquals(ended.progress().numberOfTasksSucceeded(),
        rows.values().stream().filter("succeeded"::equals).count());
    assertEquals(rows.size(), proxy.requests().stream().filter(TAGGING).count(),
        "each task that ran sent one request and has one row");

    browser.get(page(""));
    By row = By.cssSelector("tr[data-job-id='" + jobId + "']");
    waiting().until(d -> "Cancelled".equals(d.findElement(row).findElement(
        By.cssSelector("td.status")).getText()));
    assertEquals(String.valueOf(done), browser.findElement(row)
        .findElement(By.cssSelector("td.progress")).getAttribute("data-done"));
  }

  // --- in the page ---

  private static String pasteAndCreate() {
    browser.get(page(""));
    WebElement json = browser.findElement(By.id("create-json"));
    json.clear();
    json.sendKeys(jobJson());
    browser.findElement(By.id("create-button")).click();
    waiting().until(d -> d.getCurrentUrl().contains("/console/job?id="));
    String jobId = browser.getCurrentUrl().replaceAll(".*id=", "");
    waiting().until(d -> jobId.equals(d.findElement(By.id("job-id")).getText()));
    return jobId;
  }

  /**
   * The tasks done that the job page shows, each reading while it says Active and different from
   * the one before, until {@code count} non-zero readings were seen.
   */
  private static List<Long> watchProgressWhileActive(int count) {
    List<Long> readings = new ArrayList<>();
    WebDriverWait wait = waiting(Duration.ofSeconds(60));
    wait.pollingEvery(Duration.ofMillis(200));
    wait.until(d -> {
      assertNull(terminal(status()), "the job ended before it was cancelled");
      long shown = shownDone();
      if (status().equals("Active") && shown > 0
          && (readings.isEmpty() || readings.get(readings.size() - 1) != shown)) {
        readings.add(shown);
      }
      return readings.size() >= count;
    });
    return readings;
  }

  private static String terminal(String status) {
    return Set.of("Complete", "Failed", "Cancelled").contains(status) ? status : null;
  }

  private static String status() {
    return browser.findElement(By.cssSelector("dd.summary-status")).getText();
  }

  private static long shownDone() {
    return Long.parseLong(browser.findElement(By.cssSelector("#progress td.progress"))
        .getAttribute("data-done"));
  }

  private static String chartLabel() {
    return browser.findElement(By.cssSelector("#chart text")).getText();
  }

  private static void waitForStatus(String expected) {
    waiting(Duration.ofSeconds(60)).until(d -> expected.equals(status()));
  }

  /**
   * The completion report as the job page links to it: the manifest opened in the browser, each
   * results file it lists fetched with the page's session (as the browser downloads it); the
   * rows' keys to their status, each key once.
   */
  private static Map<String, String> reportRowsThroughThePage(JobRecord job) throws Exception {
    waiting().until(d -> !d.findElements(By.cssSelector("#report-files a.report-file"))
        .isEmpty());
    assertEquals(job.reportLocation(), browser.findElement(By.id("report-link")).getText());
    List<String> files = browser.findElements(By.cssSelector("#report-files a.report-file"))
        .stream().map(a -> a.getAttribute("href")).toList();
    Map<String, String> rows = new HashMap<>();
    for (String file : files) {
      HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(file)).header("Cookie", cookie()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, csv.statusCode(), file + ": " + csv.body());
      for (String line : csv.body().split("\n")) {
        if (!line.isBlank()) {
          String[] cells = line.split(",", 5); // Bucket,Key,VersionId,TaskStatus,...
          String key = URLDecoder.decode(cells[1], StandardCharsets.UTF_8);
          assertNull(rows.put(key, cells[3]), "a second row for " + key);
        }
      }
    }

    browser.findElement(By.id("report-link")).click();
    waiting().until(d -> d.getCurrentUrl().contains("/console/report?id=" + job.jobId()));
    JsonNode manifest = JobViews.JSON.readTree(browser.findElement(By.tagName("pre")).getText());
    assertEquals("Report_CSV_20180820", manifest.path("Format").asText(), manifest.toString());
    assertEquals(files.size(), manifest.path("Results").size(), manifest.toString());
    return rows;
  }

  // --- fixtures ---

  private static String jobJson() {
    return """
        {"ConfirmationRequired": true, "Description": "tag the photos",
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "by", "Value": "%s"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "reports", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 10, "RoleArn": "arn:aws:iam::%s:role/batch"}
        """.formatted(TAG, bucket, manifestEtag, bucket, ACCOUNT);
  }

  private static String page(String path) {
    return serve.api().url().resolve(Console.PATH + path).toString();
  }

  private static WebDriverWait waiting() {
    return waiting(Duration.ofSeconds(20));
  }

  private static WebDriverWait waiting(Duration timeout) {
    // a page redraws what changed every two seconds: an element read mid-redraw is read again
    WebDriverWait wait = new WebDriverWait(browser, timeout);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private static String cookie() {
    return ConsoleSessions.COOKIE + "=" + browser.manage()
        .getCookieNamed(ConsoleSessions.COOKIE).getValue();
  }

  /** Keys of the objects that carry the job's tag, as the S3 server has them. */
  private static TreeSet<String> taggedKeys() {
    TreeSet<String> tagged = new TreeSet<>();
    for (S3Object o : S3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("photos/"))
        .contents()) {
      if (S3.getObjectTagging(b -> b.bucket(bucket).key(o.key())).tagSet().stream()
          .anyMatch(t -> t.value().equals(TAG))) {
        tagged.add(o.key());
      }
    }
    return tagged;
  }
}
