package io.github.s3batchspark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell commands a Markdown page shows under one heading, block by block, as a user would
 * type them: lines continued with a backslash joined, comments and blank lines left out, the
 * list's indentation removed. A test runs them, so the page cannot drift from what works.
 */
public final class DocumentedCommands {
  private DocumentedCommands() {}

  /**
   * The {@code bash} blocks of the section whose heading line is {@code heading} (up to the next
   * heading of the same level), each as its commands in order.
   */
  public static List<List<String>> blocks(Path page, String heading) throws IOException {
    List<String> lines = Files.readAllLines(page);
    int start = lines.indexOf(heading);
    if (start < 0) {
      throw new AssertionError(page + " has no heading '" + heading + "'");
    }
    return blocksOf(lines.subList(start + 1, lines.size()),
        heading.substring(0, heading.indexOf(' ') + 1));
  }

  private static List<List<String>> blocksOf(List<String> lines, String endingHeading) {
    List<List<String>> blocks = new ArrayList<>();
    List<String> block = null;
    StringBuilder command = new StringBuilder();
    for (String raw : lines) {
      String line = raw.strip();
      if (block == null && endingHeading != null && raw.startsWith(endingHeading)) {
        break;
      }
      if (line.equals("```bash")) {
        block = new ArrayList<>();
      } else if (line.equals("```") && block != null) {
        blocks.add(List.copyOf(block));
        block = null;
      } else if (block != null && !line.isEmpty() && !line.startsWith("#")) {
        boolean continued = line.endsWith("\\");
        command.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
        if (!continued) {
          block.add(command.toString().replaceAll("\\s+", " ").strip());
          command.setLength(0);
        }
      }
    }
    return List.copyOf(blocks);
  }

  /** Every command of every {@code bash} block on the page that starts with {@code word}. */
  public static List<String> startingWith(Path page, String word) throws IOException {
    return blocksOf(Files.readAllLines(page), null).stream().flatMap(List::stream)
        .filter(c -> c.startsWith(word + " ")).toList();
  }
}
