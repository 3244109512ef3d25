package io.github.s3batchspark.cli;

import io.github.s3batchspark.api.AccessKeys;
import io.github.s3batchspark.api.ApiSettings;
import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.job.JobStore;
import io.github.s3batchspark.job.RunSettings;
import io.github.s3batchspark.job.JobRunner;
import io.github.s3batchspark.notify.CronSchedule;
import io.github.s3batchspark.notify.CronTrigger;
import io.github.s3batchspark.notify.EmrServerless;
import io.github.s3batchspark.notify.EmrServerlessHandoff;
import io.github.s3batchspark.notify.JobTemplate;
import io.github.s3batchspark.notify.ManifestTrigger;
import io.github.s3batchspark.notify.NoticeSettings;
import io.github.s3batchspark.notify.NotifyingJobStore;
import io.github.s3batchspark.notify.Triggers;
import io.github.s3batchspark.service.JobService;
import io.github.s3batchspark.service.Serve;
import io.github.s3batchspark.job.JobRecord;
import io.github.s3batchspark.job.JobSpec;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.Function;
import java.io.PrintStream;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.kohsuke.args4j.Option;

/**
 * {@code serve --account-id ID --access-keys FILE [--port N] [--bind ADDRESS]
 * [--max-running-jobs N]}: answers the s3control job API (CreateJob, DescribeJob, ListJobs,
 * UpdateJobPriority, UpdateJobStatus and job tagging) for boto3, the AWS CLI and the AWS SDKs,
 * on the job store the other verbs use, with the web console under {@code /console/} (its
 * sign-in address printed on stderr), and runs the store's jobs in priority order in one
 * Spark application ({@link JobService}), until SIGTERM, which pauses the running jobs.
 */
public final class ServeCommand extends NotifyingVerb {
  /** How often the service reads the job store for jobs to run. */
  static final Duration POLL = Duration.ofSeconds(2);
  /** Before Spark's shutdown hooks (priority 40 in Hadoop's manager) and the file systems'. */
  static final int STOP_PRIORITY = 100;
  /** How long the stop may take: the jobs' pause, then the notices still queued. */
  static final Duration STOP_WAIT = Duration.ofSeconds(150);
  static final String KEY_ID_VARIABLE = "S3BATCH_API_ACCESS_KEY_ID";
  static final String SECRET_VARIABLE = "S3BATCH_API_SECRET_ACCESS_KEY";

  @Option(name = "--port", metaVar = "N", usage = "the port to listen on; 0 picks a free one "
      + "(default 0); the URL is printed on stderr")
  int port;

  @Option(name = "--bind", metaVar = "ADDRESS",
      usage = "the address to listen on (default 127.0.0.1: this machine only)")
  String bind = ApiSettings.LOCAL_ONLY;

  @Option(name = "--access-keys", metaVar = "FILE",
      usage = "the keys whose SigV4 signatures are accepted: lines ACCESS_KEY_ID SECRET (default:"
          + " the one pair in " + KEY_ID_VARIABLE + " and " + SECRET_VARIABLE + ")")
  Path accessKeys;

  @Option(name = "--max-running-jobs", metaVar = "N",
      usage = "jobs run at once, highest priority first, sharing the requests in flight by "
          + "priority (default 2; 0 answers the API and runs no job)")
  int maxRunningJobs = 2;

  @Option(name = "--trigger-template", metaVar = "FILE",
      usage = "the CreateJob JSON that --trigger-queue and --trigger-cron create jobs from "
          + "(for the queue, its Manifest.Location is set to the new manifest)")
  Path triggerTemplate;

  @Option(name = "--trigger-queue", metaVar = "URL",
      usage = "an SQS queue receiving S3 event notifications: each new inventory manifest.json "
          + "creates one job from --trigger-template")
  String triggerQueue;

  @Option(name = "--trigger-cron", metaVar = "\"M H DOM MON DOW\"",
      usage = "a five-field cron schedule (UTC) on which a job is created from "
          + "--trigger-template, such as \"0 3 * * *\"")
  String triggerCron;

  @Option(name = "--emr-serverless-application", metaVar = "ID",
      usage = "hand the jobs --trigger-queue and --trigger-cron create to this EMR Serverless "
          + "application (StartJobRun: run --job-id ID --job-store STORE) instead of running "
          + "them here; needs --emr-serverless-role and --emr-serverless-jar, and a job store "
          + "on S3")
  String emrApplication;

  @Option(name = "--emr-serverless-role", metaVar = "ARN",
      usage = "the role the EMR Serverless job runs run as (it keeps the job store)")
  String emrRole;

  @Option(name = "--emr-serverless-jar", metaVar = "S3URI",
      usage = "the shaded jar on S3 (scripts/submit-emr-serverless uploads it)")
  String emrJar;

  @Option(name = "--emr-serverless-log-uri", metaVar = "S3URI",
      usage = "where the EMR Serverless job runs' logs go (default: none)")
  String emrLogUri;

  @Override
  public int run(PrintStream out, PrintStream err) throws InterruptedException {
    JobTemplate template = triggerTemplate();
    EmrServerless emr = emrServerless(template);
    CronSchedule schedule = triggerSchedule();
    checkNotices();
    ApiSettings api = apiSettings();
    if (maxRunningJobs < 0) {
      throw new UsageException("--max-running-jobs must be 0 or more, got " + maxRunningJobs);
    }
    Serve serve = parts(api, template, schedule, emr).start();
    CountDownLatch stopped = new CountDownLatch(1);
    // Spark stops its context and Hadoop closes its file systems in shutdown hooks of their own:
    // run as a plain JVM hook, beside them, the pause would find no Spark to commit with and
    // no store to release the leases in. Hadoop's manager runs hooks by priority, one after
    // the other: ours first, then Spark's (40), then the file systems' (10).
    org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(() -> {
      serve.close(err::println);
      stopped.countDown();
    }, STOP_PRIORITY, STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    err.println("s3batch API listening on " + serve.api().url());
    // As Jupyter does: the token in this line signs in one browser, once.
    err.println("s3batch console: " + serve.console().signInUrl());
    err.println("Serving account " + api.accountId() + "'s jobs in " + serve.store().location()
        + (maxRunningJobs > 0 ? "; running up to " + maxRunningJobs + " jobs at once, highest"
            + " priority first" : "; running no job (--max-running-jobs 0): run them with"
            + " s3batch run --job-id ID"));
    if (triggerQueue != null) {
      err.println("Creating a job from " + triggerTemplate + " for each new manifest.json "
          + "announced on " + triggerQueue);
    }
    if (schedule != null) {
      err.println("Creating a job from " + triggerTemplate + " on schedule \"" + triggerCron
          + "\" (UTC), next at " + schedule.next(ZonedDateTime.now(ZoneOffset.UTC)));
    }
    stopped.await();
    return 0;
  }

  /**
   * What this serve runs: its store, and the Spark application that runs the store's jobs unless
   * {@code --max-running-jobs} is 0; refused before anything starts when EMR Serverless could
   * not reach the store.
   */
  private Serve.Options parts(ApiSettings api, JobTemplate template, CronSchedule schedule,
      EmrServerless emr) {
    NotifyingJobStore store;
    ClientSettings clients;
    SparkSession spark = null;
    RunSettings settings = null;
    NoticeSettings notices;
    if (maxRunningJobs > 0) {
      // The fair scheduler splits the task slots between the jobs running together; their
      // priorities then share the requests in flight.
      if (!new SparkConf().getBoolean(RunSettings.PREFIX + "liveProgress", true)) {
        // priority shares and the console's progress are computed from the running counts
        throw new UsageException("serve needs live progress (priority shares and the console"
            + " read a running job's counts): drop spark.s3batch.liveProgress=false");
      }
      spark = SparkSessions.forJobs(true);
      settings = RunSettings.from(spark.sparkContext().getConf());
      clients = clientSettings(settings.clients());
      notices = noticeSettings(spark.sparkContext().getConf(), clients);
      store = notifying(openStore(spark.sparkContext().hadoopConfiguration(), clients), notices);
    } else {
      clients = clientSettings(ClientSettings.defaults());
      notices = noticeSettings(new SparkConf(), clients);
      store = notifying(openStore(new Configuration(), clients), notices);
    }
    if (emr != null && !store.location().startsWith("s3")) {
      store.close();
      throw new UsageException("--emr-serverless-application needs a job store that EMR "
          + "Serverless reaches: give --job-store s3a://BUCKET/PREFIX, not " + store.location());
    }
    Serve.Options options = Serve.on(store, api, clients)
        .triggers(() -> triggers(template, schedule, emr, store, clients));
    if (spark != null) {
      options.runningJobs(spark, settings.withClients(clients), maxRunningJobs, POLL,
          runNotices(notices));
    }
    return options;
  }

  private JobTemplate triggerTemplate() {
    if (triggerTemplate == null) {
      if (triggerQueue != null || triggerCron != null) {
        throw new UsageException("--trigger-queue and --trigger-cron need --trigger-template "
            + "FILE: the CreateJob JSON of the jobs they create");
      }
      return null;
    }
    if (triggerQueue == null && triggerCron == null) {
      throw new UsageException("--trigger-template " + triggerTemplate + " is used by "
          + "--trigger-queue URL or --trigger-cron SCHEDULE: give one of them");
    }
    try {
      return JobTemplate.read(triggerTemplate);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Where the triggers' jobs run when not here, or null; refused unless complete. */
  private EmrServerless emrServerless(JobTemplate template) {
    if (emrApplication == null && emrRole == null && emrJar == null && emrLogUri == null) {
      return null;
    }
    if (template == null) {
      throw new UsageException("--emr-serverless-application runs the jobs of a trigger: give "
          + "--trigger-template FILE with --trigger-queue URL or --trigger-cron SCHEDULE");
    }
    if (template.json().path("ConfirmationRequired").asBoolean(false)) {
      throw new UsageException("--trigger-template " + triggerTemplate + " sets "
          + "ConfirmationRequired, but a job handed to EMR Serverless starts at once: remove it"
          + " or run the jobs here");
    }
    if (emrApplication == null || emrRole == null || emrJar == null) {
      throw new UsageException("EMR Serverless needs --emr-serverless-application ID, "
          + "--emr-serverless-role ARN and --emr-serverless-jar S3URI together");
    }
    try {
      return new EmrServerless(emrApplication, emrRole, emrJar,
          "--class " + S3Batch.class.getName(), emrLogUri);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private CronSchedule triggerSchedule() {
    if (triggerCron == null) {
      return null;
    }
    try {
      CronSchedule schedule = CronSchedule.parse(triggerCron);
      schedule.next(ZonedDateTime.now(ZoneOffset.UTC)); // refuses one that never fires
      return schedule;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The triggers asked for, creating jobs as CreateJob does (checked against S3 first). */
  private Triggers triggers(JobTemplate template, CronSchedule schedule, EmrServerless emr,
      JobStore store, ClientSettings clients) {
    if (template == null) {
      return Triggers.start(null, null);
    }
    Function<JobSpec, JobRecord> here = spec -> JobRunner.create(store, spec, clients);
    Function<JobSpec, JobRecord> create = emr == null ? here
        : new EmrServerlessHandoff(emr, store, here, clients);
    NoticeSettings services = NoticeSettings.none(clients);
    return Triggers.start(
        triggerQueue == null ? null
            : new ManifestTrigger(services, triggerQueue, template, create, 20),
        schedule == null ? null
            : new CronTrigger(schedule, template, create, Clock.systemUTC()));
  }

  private ApiSettings apiSettings() {
    if (accountId == null) {
      throw new UsageException("serve needs --account-id: the 12-digit account whose jobs it "
          + "serves (clients send it as x-amz-account-id)");
    }
    try {
      return new ApiSettings(bind, port, accountId, keys());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private AccessKeys keys() {
    if (accessKeys != null) {
      return AccessKeys.fromFile(accessKeys);
    }
    String id = System.getenv(KEY_ID_VARIABLE);
    String secret = System.getenv(SECRET_VARIABLE);
    if (id == null || secret == null || id.isBlank() || secret.isBlank()) {
      throw new UsageException("serve needs --access-keys FILE (lines ACCESS_KEY_ID SECRET), or "
          + KEY_ID_VARIABLE + " and " + SECRET_VARIABLE + " set: it lets in no unsigned request");
    }
    return AccessKeys.of(id, secret);
  }
}
