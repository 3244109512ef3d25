package io.github.s3batchspark.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.api.AccessKeys;
import io.github.s3batchspark.api.ApiSettings;
import io.github.s3batchspark.api.S3ControlServer;
import io.github.s3batchspark.job.HadoopJobStore;
import io.github.s3batchspark.job.JobProgress;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.job.JobSpecParser;
import io.github.s3batchspark.job.JobStatus;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.Owner;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.HeadlessChromium;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The console in a real headless Chromium (the OS's, driven by its chromedriver) against
 * {@code serve}'s API server and a job store in a temporary directory, jobs run on S3Mock.
 */
class ConsoleBrowserTest {
  private static final String ACCOUNT = "123456789012";
  private static final String XSS_KEY = "<img src=x onerror=alert(1)>";
  private static final String XSS_DESCRIPTION = "</script><script>alert(2)</script>";
  private static final LocalS3Server S3MOCK = LocalS3Server.s3mock();
  private static final S3Client S3 = S3MOCK.client();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Path storeDir;
  private static JobStore store;
  private static S3ControlServer server;
  private static Console console;
  private static WebDriver browser;
  private static String bucket;
  private static String manifestEtag;

  @BeforeAll
  static void serveTheConsoleAndSignInOnce() throws Exception {
    storeDir = Files.createTempDirectory("console-store");
    store = HadoopJobStore.open(storeDir.toString(), new Configuration(), null);
    server = S3ControlServer.start(new ApiSettings(ApiSettings.LOCAL_ONLY, 0, ACCOUNT,
        AccessKeys.of("AKIACONSOLETEST00001", "console-test-secret")), store,
        S3MOCK.clientSettings());
    console = Console.attach(server, store, S3MOCK.clientSettings(), ACCOUNT);
    bucket = Buckets.create(S3, "console");
    Buckets.put(S3, bucket, "present-1", "a");
    manifestEtag = S3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(bucket + ",present-1\n")).eTag().replace("\"", "");
    browser = HeadlessChromium.start();
    browser.get(console.signInUrl().toString());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String page(String path) {
    return server.url().resolve(Console.PATH + path).toString();
  }

  private static WebDriverWait waiting() {
    // a page redraws what changed every two seconds: an element read mid-redraw is read again
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private static String jobJson(String description, boolean confirmationRequired) {
    return """
        {"AccountId": "%s", "ConfirmationRequired": %s, "Description": %s,
         "Operation": {"S3PutObjectTagging": {"TagSet": [{"Key": "k", "Value": "v"}]}},
         "Manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820",
                               "Fields": ["Bucket", "Key"]},
                      "Location": {"ObjectArn": "arn:aws:s3:::%s/manifest.csv", "ETag": "%s"}},
         "Report": {"Bucket": "arn:aws:s3:::%s", "Prefix": "reports", "Enabled": true,
                    "Format": "Report_CSV_20180820", "ReportScope": "AllTasks"},
         "Priority": 10, "RoleArn": "arn:aws:iam::%s:role/batch"}
        """.formatted(ACCOUNT, confirmationRequired,
        JobViews.JSON.getNodeFactory().textNode(description),
        bucket, manifestEtag, bucket, ACCOUNT);
  }

  private static JobRecord createdJob(String description, boolean confirmationRequired) {
    return JobRunner.create(store, JobSpecParser.parse(jobJson(description,
        confirmationRequired)));
  }

  private static String cookie() {
    return ConsoleSessions.COOKIE + "=" + browser.manage()
        .getCookieNamed(ConsoleSessions.COOKIE).getValue();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listShowsAJobsProgressAdvancingAsTheRunnerRecordsIt() {
    JobRecord job = createdJob("progress watched", false);
    store.update(job.jobId(), Owner.RUNNER, r -> r.withProgress(new JobProgress(100, 10, 0, 5)));
    browser.get(page(""));
    By progress = By.cssSelector("tr[data-job-id='" + job.jobId() + "'] td.progress");
    waiting().until(d -> "10".equals(d.findElement(progress).getAttribute("data-percent")));

    store.update(job.jobId(), Owner.RUNNER, r -> r.withProgress(new JobProgress(100, 55, 5, 6)));

    waiting().until(d -> "60".equals(d.findElement(progress).getAttribute("data-percent")));
    WebElement row = browser.findElement(By.cssSelector("tr[data-job-id='" + job.jobId() + "']"));
    assertTrue(row.findElement(By.cssSelector("td.progress")).getText()
        .contains("60 / 100 (60%), 5 failed"), row.getText());
    assertEquals("10", row.findElement(By.cssSelector("td.rate")).getText());
    assertEquals("New", row.findElement(By.cssSelector("td.status")).getText());
    assertEquals("10", row.findElement(By.cssSelector("td.priority")).getText());
  }

  @Test
  void jobPageGroupsFailuresByErrorCodeShowsKeysAsTextAndOpensOnlyItsReport() throws Exception {
    StringBuilder csv = new StringBuilder(bucket + ",present-1\n");
    List<String> missing = List.of("missing-1", "missing-2", XSS_KEY);
    for (String key : missing) {
      csv.append(bucket).append(',').append(URLEncoder.encode(key, StandardCharsets.UTF_8))
          .append('\n');
    }
    String etag = S3.putObject(b -> b.bucket(bucket).key("failing.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
    String spec = jobJson(XSS_DESCRIPTION, false)
        .replace(bucket + "/manifest.csv", bucket + "/failing.csv").replace(manifestEtag, etag);
    JobRecord job = JobRunner.create(store, JobSpecParser.parse(spec));
    JobRecord done = new JobRunner(LocalSpark.session(), store, RunSettings.defaults()
        .withClients(S3MOCK.clientSettings()).withPartitions(2)).run(job.jobId());
    assertEquals(3, done.progress().numberOfTasksFailed());

    browser.get(page("job?id=" + job.jobId()));

    By noSuchKey = By.cssSelector("#failures tr[data-error-code='NoSuchKey']");
    waiting().until(d -> !d.findElements(noSuchKey).isEmpty());
    WebElement group = browser.findElement(noSuchKey);
    assertEquals("3", group.findElement(By.cssSelector("td.count")).getText());
    assertEquals("404", group.findElement(By.cssSelector("td.http")).getText());
    assertTrue(group.findElements(By.cssSelector("li.example")).stream()
        .anyMatch(e -> e.getText().startsWith("s3://" + bucket + "/" + XSS_KEY)),
        group.getText());
    assertEquals(1, browser.findElements(By.cssSelector("#failures tbody tr")).size());
    assertEquals(XSS_DESCRIPTION,
        browser.findElement(By.cssSelector("dd.summary-description")).getText());
    WebElement report = browser.findElement(By.id("report-link"));
    assertEquals(done.reportLocation(), report.getText());
    assertEquals(page("report?id=" + job.jobId()), report.getAttribute("href"),
        "the report opens through the console: a browser opens no s3:// address");
    HttpResponse<String> otherObject = send(HttpRequest.newBuilder(URI.create(page("report?id="
        + job.jobId() + "&file=failing.csv"))).header("Cookie", cookie()));
    assertEquals(404, otherObject.statusCode(), "an object the report does not list: "
        + otherObject.body());
    assertEquals(401, send(HttpRequest.newBuilder(URI.create(report.getAttribute("href"))))
        .statusCode(), "the report without the session");
    assertTrue(browser.findElements(By.tagName("img")).isEmpty(), "an injected element");
    assertEquals(1, browser.findElements(By.tagName("script")).size(), "an injected script");
    assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
  }

  @Test
  void pastedJsonShowsItsProblemByFieldThenCreatesTheJob() {
    browser.get(page(""));
    WebElement json = browser.findElement(By.id("create-json"));
    json.clear();
    json.sendKeys(jobJson("pasted", false).replace("\"Priority\": 10", "\"Priority\": -1"));
    browser.findElement(By.id("create-button")).click();

    waiting().until(d -> !d.findElements(By.cssSelector("#create-problems li")).isEmpty());
    WebElement problem = browser.findElement(By.cssSelector("#create-problems li"));
    assertEquals("Priority", problem.findElement(By.cssSelector(".field")).getText(),
        problem.getText());
    assertTrue(store.list().jobs().stream().noneMatch(j -> "pasted".equals(
        j.spec().request().description())), "a refused job was recorded");

    json = browser.findElement(By.id("create-json"));
    json.clear();
    json.sendKeys(jobJson("pasted", false).replace("\"AccountId\": \"" + ACCOUNT + "\",", ""));
    browser.findElement(By.id("create-button")).click();

    waiting().until(d -> d.getCurrentUrl().contains("/console/job?id="));
    String jobId = browser.getCurrentUrl().replaceAll(".*id=", "");
    assertEquals("pasted", store.get(jobId).spec().request().description());
    waiting().until(d -> jobId.equals(d.findElement(By.id("job-id")).getText()));
  }

  @Test
  void confirmPriorityAndCancelButtonsChangeTheStoredJob() {
    JobRecord job = createdJob("to steer", true);
    assertEquals(JobStatus.SUSPENDED, store.get(job.jobId()).status());
    browser.get(page("job?id=" + job.jobId()));
    waiting().until(d -> "Suspended".equals(d.findElement(By.cssSelector("dd.summary-status"))
        .getText()));

    browser.findElement(By.id("priority-input")).sendKeys("42");
    browser.findElement(By.id("priority-button")).click();
    waiting().until(d -> store.get(job.jobId()).priority() == 42);

    browser.findElement(By.id("confirm-button")).click();
    waiting().until(d -> store.get(job.jobId()).status() == JobStatus.READY);

    browser.findElement(By.id("cancel-button")).click();
    waiting().until(d -> store.get(job.jobId()).status() == JobStatus.CANCELLED);
    waiting().until(d -> "Cancelled".equals(d.findElement(By.cssSelector("dd.summary-status"))
        .getText()));
  }

  @Test
  void withoutTheSessionOrTheCsrfTokenEveryRequestIsRefused() throws Exception {
    JobRecord job = createdJob("guarded", false);
    browser.get(page(""));
    waiting().until(d -> !d.findElements(By.cssSelector("tr[data-job-id]")).isEmpty());
    for (String path : List.of("", "job?id=" + job.jobId(), "console.js", "api/jobs",
        "api/session")) {
      assertEquals(401, send(HttpRequest.newBuilder(URI.create(page(path)))).statusCode(), path);
    }
    URI priority = URI.create(page("api/priority?id=" + job.jobId() + "&priority=99"));
    assertEquals(401, send(HttpRequest.newBuilder(priority)
        .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
    assertEquals(403, send(HttpRequest.newBuilder(URI.create(console.signInUrl().toString())))
        .statusCode(), "the sign-in token was used already");
    assertEquals(403, send(HttpRequest.newBuilder(URI.create(page("?token=guessed"))))
        .statusCode());

    // A cross-site form POST carries the cookie (same site) but cannot know the CSRF token.
    HttpResponse<String> crossSite = send(HttpRequest.newBuilder(priority)
        .header("Cookie", cookie()).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("priority=99")));
    assertEquals(403, crossSite.statusCode(), crossSite.body());
    assertEquals(10, store.get(job.jobId()).priority());
    assertEquals(405, send(HttpRequest.newBuilder(URI.create(page("api/priority?id="
        + job.jobId() + "&priority=99"))).header("Cookie", cookie())).statusCode(),
        "a change by GET");

    // The console's session opens nothing in the API.
    HttpResponse<String> api = send(HttpRequest.newBuilder(server.url().resolve("/v20180820/jobs"))
        .header("Cookie", cookie()).header("x-amz-account-id", ACCOUNT));
    assertEquals(403, api.statusCode(), api.body());

    HttpResponse<String> pageAnswer = send(HttpRequest.newBuilder(URI.create(page("")))
        .header("Cookie", cookie()));
    assertEquals(200, pageAnswer.statusCode());
    assertEquals("default-src 'self'; frame-ancestors 'none'",
        pageAnswer.headers().firstValue("Content-Security-Policy").orElse(""));
    assertEquals("DENY", pageAnswer.headers().firstValue("X-Frame-Options").orElse(""));
    assertTrue(!pageAnswer.body().contains("<script>"), "inline script in the page");
  }
}
