package io.github.s3batchspark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The INFO lines of a run's stderr that are not ours, in Spark's default layout
 * ({@code 26/12/03 17:13:46 INFO SparkContext: ...}, the logger's simple name): the log a quiet
 * run must not print. Ours (the job's own progress, {@code INFO PrepareManifest: ...}) are
 * wanted; a line is ours when its logger names a class of the project.
 */
public final class InfoLines {
  private static final Pattern INFO = Pattern.compile("^\\S+ \\S+ INFO (\\S+): .*");

  private InfoLines() {}

  public static List<String> notOurs(String stderr) {
    Set<String> ours = ourClassNames();
    return stderr.lines().filter(line -> {
      Matcher m = INFO.matcher(line);
      return m.matches() && !ours.contains(m.group(1));
    }).toList();
  }

  private static Set<String> ourClassNames() {
    try {
      Path classes = Path.of(InfoLines.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).resolveSibling("classes").resolve("io/github/s3batchspark");
      try (Stream<Path> files = Files.walk(classes)) {
        return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class"))
            .map(n -> n.substring(0, n.length() - ".class".length()))
            .collect(Collectors.toSet());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
