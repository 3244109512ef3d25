package io.github.s3batchspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rclone, the benchmark's contender (d), against the load server: 50 objects with the issue's
 * flags arrive as 50 server-side copies, one CopyObject each and no other request per object,
 * so that its figures compare like with like. Counts only, never speed.
 */
class RcloneCopySmokeTest {
  private static final int OBJECTS = 50;
  private static LoadS3Server server;

  @BeforeAll
  static void start() {
    server = LoadS3Server.start(1, LoadSettings.none().withLatency(2));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyObjectArrivesByOneCopyObjectAndNothingElsePerObject(@TempDir Path work) {
    CopyWorkload workload = CopyWorkload.small();
    VirtualObjects objects = workload.seed(server, OBJECTS);

    Measurement m = new RcloneCopy(server.endpoint(), work)
        .run(workload, objects, OBJECTS, "rclone", server, Duration.ofSeconds(60));

    assertNull(m.error());
    assertEquals(OBJECTS, m.done(), "objects of the source's size in bench-copy-rclone");
    assertEquals(OBJECTS, m.server().get("action.CopyObject"));
    assertTrue(RcloneCopy.otherRequests(m) < OBJECTS / 5,
        "requests besides CopyObject scale with the objects: " + m.server());
    assertTrue(m.cpuSeconds() > 0, "rclone's own CPU was measured");
  }
}
