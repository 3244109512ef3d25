package io.github.s3batchspark.cli;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.Refusal;
import java.io.PrintStream;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.CmdLineException;
import org.kohsuke.args4j.CmdLineParser;
import org.kohsuke.args4j.Option;
import org.kohsuke.args4j.spi.SubCommand;
import org.kohsuke.args4j.spi.SubCommandHandler;
import org.kohsuke.args4j.spi.SubCommands;

/**
 * {@code s3batch VERB [options]}: the command line, shaped like {@code aws s3control}.
 *
 * <p>Each verb is one class; this one only dispatches. Every failure ends with one line on
 * stderr that says what was wrong, and a non-zero exit code: 2 for a command line or job spec
 * the tool refuses, 1 for a job or store that failed.
 */
public final class S3Batch {

  @Option(name = "--help", aliases = "-h", help = true, usage = "print this help")
  private boolean help;

  @Argument(handler = SubCommandHandler.class, metaVar = "VERB",
      usage = "create-job | run | describe-job | list-jobs | update-job-status | update-job-priority"
          + " | get-job-tagging | put-job-tagging | delete-job-tagging | serve | iam-policy"
          + " | generate-inventory")
  @SubCommands({
      @SubCommand(name = "create-job", impl = CreateJobCommand.class),
      @SubCommand(name = "run", impl = RunCommand.class),
      @SubCommand(name = "describe-job", impl = DescribeJobCommand.class),
      @SubCommand(name = "list-jobs", impl = ListJobsCommand.class),
      @SubCommand(name = "update-job-status", impl = UpdateJobStatusCommand.class),
      @SubCommand(name = "update-job-priority", impl = UpdateJobPriorityCommand.class),
      @SubCommand(name = "get-job-tagging", impl = GetJobTaggingCommand.class),
      @SubCommand(name = "put-job-tagging", impl = PutJobTaggingCommand.class),
      @SubCommand(name = "delete-job-tagging", impl = DeleteJobTaggingCommand.class),
      @SubCommand(name = "serve", impl = ServeCommand.class),
      @SubCommand(name = "iam-policy", impl = IamPolicyCommand.class),
      @SubCommand(name = "generate-inventory", impl = GenerateInventoryCommand.class),
  })
  private Verb verb;

  public static void main(String[] args) {
    int code;
    try {
      LogLevel.applyAtStart();
      code = run(args, System.out, System.err);
    } catch (UsageException e) {
      System.err.println("s3batch: " + e.getMessage());
      code = 2;
    }
    try {
      ExecutorClients.closeAll();
    } catch (Throwable e) { // the command's answer is printed already; closing must not hide it
      System.err.println("s3batch: warning: closing the S3 clients failed: " + oneLine(e));
    }
    System.exit(code);
  }

  /** Runs one command line and returns its exit code (tests call this directly). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      return parseAndRun(args, out, err);
    } catch (Throwable e) { // one line and an exit code, whatever failed: never a stack trace
      err.println("s3batch: " + oneLine(e));
      return e instanceof Refusal ? 2 : 1;
    }
  }

  private static int parseAndRun(String[] args, PrintStream out, PrintStream err)
      throws Exception {
    S3Batch cli = new S3Batch();
    CmdLineParser parser = new CmdLineParser(cli);
    try {
      parser.parseArgument(args);
    } catch (CmdLineException e) {
      if (wantsHelp(args)) {
        e.getParser().printUsage(out);
        return 0;
      }
      err.println("s3batch: " + oneLine(e) + " (run 's3batch " + verbName(args)
          + "--help' for the options)");
      return 2;
    }
    if (cli.verb == null || cli.help) {
      out.println("usage: s3batch VERB [options]   (s3batch VERB --help for the verb's options)");
      parser.printUsage(out);
      return cli.verb == null && !cli.help ? 2 : 0;
    }
    if (cli.verb.helpRequested()) {
      new CmdLineParser(cli.verb).printUsage(out);
      return 0;
    }
    return cli.verb.run(out, err);
  }

  private static boolean wantsHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  private static String verbName(String[] args) {
    return args.length > 0 && !args[0].startsWith("-") ? args[0] + " " : "";
  }

  /**
   * The failure in one line: its own message, else its cause's, else its type (a
   * StackOverflowError or a NullPointerException has no message a user can act on, but its name
   * still says what happened).
   */
  static String oneLine(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null && message == null; t = t.getCause()) {
      message = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
    }
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    String line = message.strip().replaceAll("\\s*\\R\\s*", "; ");
    String fix = fixFor(e);
    return fix == null ? line : line + "; " + fix;
  }

  /** What to do about a failure whose fix is known: a missing class or file system. */
  private static String fixFor(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      boolean missingClass = t instanceof NoClassDefFoundError
          || t instanceof ClassNotFoundException;
      if ((missingClass && (m.contains("com/amazonaws") || m.contains("com.amazonaws")
          || m.contains("fs/s3a") || m.contains("fs.s3a")))
          || m.contains("No FileSystem for scheme \"s3a\"")) {
        return "s3a:// paths need hadoop-aws, which Spark distributions leave out: add"
            + " --packages org.apache.hadoop:hadoop-aws:3.3.4 to spark-submit (EMR has it)";
      }
      if (m.contains("No FileSystem for scheme \"s3\"")) {
        return "s3:// is EMRFS on EMR; elsewhere write s3a://, or add --packages"
            + " org.apache.hadoop:hadoop-aws:3.3.4 so that s3:// is read as s3a";
      }
    }
    return null;
  }
}
