package io.github.s3batchspark.cli;

import java.io.PrintStream;

/** One command-line verb: options are its fields, {@link #run} does the work. */
interface Verb {

  boolean helpRequested();

  /** Prints the verb's JSON result on {@code out} and returns the exit code. */
  int run(PrintStream out, PrintStream err) throws Exception;
}
