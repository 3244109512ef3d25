package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad notice and trigger options stop run and serve in one line, before anything starts. */
class NotifyOptionsCliTest {
  @TempDir Path dir;

  @Test
  void unknownNoticeKindIsRefusedNamingTheValue() {
    CliOutcome o = CliOutcome.runAsTyped("run", "--job-id",
        "00000000-0000-0000-0000-000000000000", "--job-store", dir.toString(),
        "--notify", "sms:+15550100");
    assertRefused(o, "--notify sms:+15550100: 'sms' is no kind of notice");
  }

  @Test
  void webhookWithoutSecretIsRefused() {
    CliOutcome o = CliOutcome.runAsTyped("run", "--job-id",
        "00000000-0000-0000-0000-000000000000", "--job-store", dir.toString(),
        "--notify", "webhook:https://hooks.example.com/x");
    assertRefused(o, "--webhook-secret-file");
  }

  @Test
  void badCronScheduleIsRefusedNamingTheField() throws Exception {
    Path template = template();
    CliOutcome o = serve("--trigger-template", template.toString(), "--trigger-cron",
        "0 25 * * *");
    assertRefused(o, "hour '25'");
  }

  @Test
  void triggerTemplateAloneOrTriggerWithoutTemplateIsRefused() throws Exception {
    assertRefused(serve("--trigger-template", template().toString()), "--trigger-queue URL or");
    assertRefused(serve("--trigger-cron", "0 3 * * *"), "need --trigger-template");
  }

  @Test
  void templateThatMakesNoJobIsRefusedNamingTheFile() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"AccountId\": \"123456789012\"}");
    assertRefused(serve("--trigger-template", bad.toString(), "--trigger-cron", "0 3 * * *"),
        "--trigger-template " + bad + " does not make a job");
  }

  private CliOutcome serve(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "serve";
    all[1] = "--job-store";
    all[2] = dir.resolve("store").toString();
    all[3] = "--account-id";
    all[4] = "123456789012";
    System.arraycopy(args, 0, all, 5, args.length);
    return CliOutcome.runAsTyped(all);
  }

  private Path template() throws Exception {
    Path file = dir.resolve("template.json");
    Files.writeString(file, """
        {"AccountId": "123456789012",
         "Operation": {"S3PutObjectTagging": {"TagSet": []}},
         "Manifest": {},
         "Report": {"Enabled": false},
         "Priority": 10, "RoleArn": "arn:aws:iam::123456789012:role/batch"}
        """);
    return file;
  }

  private static void assertRefused(CliOutcome o, String expected) {
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(expected), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
  }
}
