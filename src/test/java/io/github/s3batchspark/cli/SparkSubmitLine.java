package io.github.s3batchspark.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kohsuke.args4j.CmdLineException;
import org.kohsuke.args4j.CmdLineParser;

/**
 * A {@code spark-submit} line of our deployment files, read as spark-submit reads it: its own
 * options (only those it knows, each with its value), then the jar, then the application's
 * arguments, which must be a verb of ours and flags that verb takes.
 */
record SparkSubmitLine(String mainClass, Map<String, String> conf, String jar,
    List<String> verbAndFlags) {
  /** spark-submit's options that take a value, among those a deployment file would use. */
  private static final Set<String> WITH_VALUE = Set.of("--class", "--conf", "--deploy-mode",
      "--master", "--jars", "--packages", "--repositories", "--properties-file", "--name",
      "--files", "--driver-memory", "--executor-memory", "--executor-cores", "--num-executors",
      "--driver-cores");

  /** {@code spark-submit [options] jar [verb flags...]}, as an EMR step's Args list. */
  static SparkSubmitLine of(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("spark-submit")) {
      throw new AssertionError("not a spark-submit line: " + args);
    }
    return read(args.subList(1, args.size()));
  }

  /** EMR Serverless' split of the same line: sparkSubmitParameters, entryPoint, arguments. */
  static SparkSubmitLine of(String sparkSubmitParameters, String entryPoint,
      List<String> entryPointArguments) {
    List<String> all = new ArrayList<>(List.of(sparkSubmitParameters.strip().split("\\s+")));
    all.add(entryPoint);
    all.addAll(entryPointArguments);
    return read(all);
  }

  private static SparkSubmitLine read(List<String> args) {
    String mainClass = null;
    Map<String, String> conf = new java.util.LinkedHashMap<>();
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("--")) {
      String option = args.get(i);
      if (!WITH_VALUE.contains(option) || i + 1 >= args.size()) {
        throw new AssertionError("spark-submit does not take " + option + " here: " + args);
      }
      String value = args.get(i + 1);
      if (option.equals("--class")) {
        mainClass = value;
      } else if (option.equals("--conf")) {
        String[] kv = value.split("=", 2);
        if (kv.length != 2) {
          throw new AssertionError("--conf needs key=value, got " + value);
        }
        conf.put(kv[0], kv[1]);
      }
      i += 2;
    }
    if (i >= args.size()) {
      throw new AssertionError("no jar after spark-submit's options: " + args);
    }
    return new SparkSubmitLine(mainClass, conf, args.get(i),
        List.copyOf(args.subList(i + 1, args.size())));
  }

  /** The arguments after {@code run}, parsed by the run verb's own options. */
  RunCommand parsedRun() throws CmdLineException {
    if (verbAndFlags.isEmpty() || !verbAndFlags.get(0).equals("run")) {
      throw new AssertionError("expected the run verb after the jar: " + verbAndFlags);
    }
    RunCommand run = new RunCommand();
    new CmdLineParser(run).parseArgument(verbAndFlags.subList(1, verbAndFlags.size()));
    return run;
  }
}
