package io.github.s3batchspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {

  @Test
  void peaksAreTheMostAnyCollectionAndAnyRequestedFullCollectionLeftInUse() {
    GcLog gc = GcLog.parse(List.of(
        "[0.008s][info][gc] Using G1",
        "[1.204s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 51M->7M(1024M) 6.513ms",
        "[9.731s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation)"
            + " 612M->301M(1024M) 20.113ms",
        "[9.731s][info][gc] GC(2) Concurrent Mark Cycle",
        "[9.802s][info][gc] GC(2) Pause Remark 320M->318M(1024M) 3.101ms",
        "[9.850s][info][gc] GC(2) Pause Cleanup 318M->318M(1024M) 0.101ms",
        "[9.990s][info][gc] GC(2) Concurrent Mark Cycle 259.011ms",
        "[12.00s][info][gc] GC(3) Pause Full (G1 Compaction Pause) 1000M->420M(1024M) 900.1ms",
        "[12.50s][info][gc] GC(4) Pause Full (Diagnostic Command) 500M->190M(1024M) 300.0ms",
        "[13.50s][info][gc] GC(5) Pause Full (System.gc()) 400M->210M(1024M) 300.0ms",
        "[13.00s][info][gc] GC(6) Pause Young (Mixed) (G1 Evacuation Pause) 524288K->100M(1G)"
            + " 9.0ms",
        "[14.00s][info][gc] GC(7) Pause Full (Heap Inspection Initiated GC) 300M->230M(1024M)"
            + " 250.0ms"));

    assertEquals(new GcLog(420, 230, 3, 1024, 8, 4), gc);
  }
}
