package io.github.s3batchspark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A Spark 3.5 distribution as a user unpacks it, made from the Maven jars the build resolved
 * (none can be downloaded here): {@code jars/} holds links to what
 * {@code target/spark-distribution-*classpath.txt} list (Spark and Hadoop, no hadoop-aws, none of
 * our own dependencies), {@code bin/spark-class} and {@code bin/spark-submit} run Spark's own
 * launcher as the distribution's scripts do, and {@code conf/spark-defaults.conf} holds the
 * given lines. Workers launch executors from this {@code SPARK_HOME} as from a real one.
 */
public record SparkDistribution(Path home) {

  /**
   * A distribution's {@code bin/spark-class}, in brief: Spark's launcher prints what it has to
   * say, a NUL, then the JVM's command line with its words NUL-separated, and exits non-zero on a
   * bad command line; this prints the first and runs the second.
   */
  private static final String SPARK_CLASS = """
      #!/usr/bin/env bash
      export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
      # what a distribution's bin/load-spark-env.sh sets: the launcher needs it without a build
      export SPARK_SCALA_VERSION=2.12
      java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
      mapfile -d '' words < <("$java" -Xmx128m -cp "$SPARK_HOME/jars/*" \\
        org.apache.spark.launcher.Main "$@"; printf '%d\\0' $?)
      status="${words[-1]}"
      unset 'words[-1]'
      printf '%s' "${words[0]}"
      [[ "$status" == 0 ]] || exit "$status"
      words=("${words[@]:1}")
      words[0]="${words[0]#$'\\n'}"
      exec "${words[@]}"
      """;

  private static final String SPARK_SUBMIT = """
      #!/usr/bin/env bash
      exec "$(dirname "$0")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
      """;

  /** Assembles a distribution under {@code dir}, with {@code defaults} as its Spark defaults. */
  public static SparkDistribution assemble(Path dir, List<String> defaults) throws IOException {
    Path jars = Files.createDirectories(dir.resolve("jars"));
    for (String list : List.of("spark-distribution-classpath.txt",
        "spark-distribution-runtime-classpath.txt")) {
      for (String jar : classpath(list)) {
        Path target = Path.of(jar);
        Path link = jars.resolve(target.getFileName());
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) { // in both lists
          Files.createSymbolicLink(link, target);
        }
      }
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    executable(bin.resolve("spark-class"), SPARK_CLASS);
    executable(bin.resolve("spark-submit"), SPARK_SUBMIT);
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.write(conf.resolve("spark-defaults.conf"), defaults);
    return new SparkDistribution(dir);
  }

  /** The jars a list that {@code mvn package} wrote names. */
  private static List<String> classpath(String list) throws IOException {
    Path file = Path.of(System.getProperty("project.basedir", "."), "target", list);
    if (!Files.exists(file)) {
      throw new IllegalStateException(file + " is missing: run mvn package first");
    }
    String text = Files.readString(file).strip();
    return text.isEmpty() ? List.of() : List.of(text.split(java.io.File.pathSeparator));
  }

  /** {@code $SPARK_HOME/bin}, for a PATH that runs its commands by name. */
  public Path bin() {
    return home.resolve("bin");
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
