package io.github.s3batchspark.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The OS package's Chromium, headless, driven by its own chromedriver, for the console's tests. */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  public static WebDriver start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(onPath("chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(onPath("chromedriver")).toFile()).build();
    return new ChromeDriver(service, options);
  }

  /** The OS package's program: Selenium must not fetch a browser of its own. */
  private static String onPath(String program) {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(program + " is not on the PATH: scripts/test installs it "
        + "(apt-get install chromium chromium-driver)");
  }
}
