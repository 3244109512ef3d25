package io.github.s3batchspark.cli;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.IdempotencyException;
import io.github.s3batchspark.job.JobIdException;
import io.github.s3batchspark.job.JobNotFoundException;
import io.github.s3batchspark.job.JobSpecException;
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
 * stderr that says what was wrong, and a non-zero exit code: 2 for a command line, job spec or
 * job id the tool refuses (a malformed id, a job not in the store, a ClientRequestToken reused
 * for another spec), 1 for a job or store that failed.
 */
public final class S3Batch {

  @Option(name = "--help", aliases = "-h", help = true, usage = "print this help")
  private boolean help;

  @Argument(handler = SubCommandHandler.class, metaVar = "VERB",
      usage = "create-job | run | describe-job | list-jobs | update-job-status | update-job-priority")
  @SubCommands({
      @SubCommand(name = "create-job", impl = CreateJobCommand.class),
      @SubCommand(name = "run", impl = RunCommand.class),
      @SubCommand(name = "describe-job", impl = DescribeJobCommand.class),
      @SubCommand(name = "list-jobs", impl = ListJobsCommand.class),
      @SubCommand(name = "update-job-status", impl = UpdateJobStatusCommand.class),
      @SubCommand(name = "update-job-priority", impl = UpdateJobPriorityCommand.class),
  })
  private Verb verb;

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    ExecutorClients.closeAll();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code (tests call this directly). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    S3Batch cli = new S3Batch();
    CmdLineParser parser = new CmdLineParser(cli);
    try {
      parser.parseArgument(args);
    } catch (CmdLineException e) {
      if (wantsHelp(args)) {
        e.getParser().printUsage(out);
        return 0;
      }
      err.println("s3batch: " + e.getMessage());
      err.println("Run 's3batch " + verbName(args) + "--help' for the options.");
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
    try {
      return cli.verb.run(out, err);
    } catch (UsageException | JobSpecException | JobIdException | JobNotFoundException
        | IdempotencyException e) {
      err.println("s3batch: " + oneLine(e));
      return 2;
    } catch (Exception e) {
      err.println("s3batch: " + oneLine(e));
      return 1;
    }
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

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.strip().replace("\n", "; ");
  }
}
