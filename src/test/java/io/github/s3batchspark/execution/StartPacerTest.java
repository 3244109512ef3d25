package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The token bucket of starts, on a clock the test turns (nanoseconds it passes). */
class StartPacerTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void withoutACapEveryStartIsGranted() {
    StartPacer pacer = new StartPacer();
    pacer.pace(Double.POSITIVE_INFINITY, 0);

    assertEquals(10_000, starts(pacer, 10_000, 0));
    assertEquals(0, pacer.nanosUntilNextStart(0));
  }

  @Test
  void aCapGrantsOneStartAtOnceThenOneEveryIntervalAndSaysWhenTheNextIsDue() {
    StartPacer pacer = new StartPacer();
    pacer.pace(5, 0);

    assertEquals(1, starts(pacer, 100, 0), "a full bucket of one token at 5/s");
    assertEquals(SECOND / 5, pacer.nanosUntilNextStart(0));
    assertEquals(0, starts(pacer, 100, SECOND / 5 - 1));
    assertEquals(1, starts(pacer, 100, SECOND / 5));
    for (int i = 2; i <= 6; i++) {
      assertEquals(1, starts(pacer, 100, i * SECOND / 5), "one more every 200 ms");
    }
    assertEquals(1, starts(pacer, 100, 60 * SECOND), "the bucket holds one start at 5/s");
  }

  @Test
  void anIdlePartitionSavesNoMoreThanItsBurst() {
    StartPacer pacer = new StartPacer();
    pacer.pace(1_000, 0);
    starts(pacer, 1_000, 0);

    assertEquals((int) (1_000 * StartPacer.BURST_SECONDS), starts(pacer, 1_000, 60 * SECOND),
        "a minute idle saves 50 ms of starts, not 60,000");
  }

  @Test
  void aLiftedCapGrantsEveryStartAndALoweredOneKeepsOnlyItsBurst() {
    StartPacer pacer = new StartPacer();
    pacer.pace(1_000, 0);
    starts(pacer, 1_000, 0);
    pacer.pace(Double.POSITIVE_INFINITY, SECOND);
    assertEquals(5_000, starts(pacer, 5_000, SECOND));

    pacer.pace(2, 2 * SECOND);
    assertEquals(1, starts(pacer, 100, 2 * SECOND));
    assertFalse(pacer.tryStart(2 * SECOND + SECOND / 4));
    assertTrue(pacer.tryStart(2 * SECOND + SECOND / 2));
  }

  @Test
  void aCapOfZeroOrNotANumberIsNoCapAndATinyOneIsRaisedToTheSlowestObeyed() {
    StartPacer pacer = new StartPacer();
    pacer.pace(0, 0);
    assertFalse(pacer.capped());
    pacer.pace(Double.NaN, 0);
    assertFalse(pacer.capped());

    pacer.pace(1e-9, 0);
    starts(pacer, 1, 0);
    assertEquals(SECOND / StartPacer.SLOWEST_PER_SECOND, pacer.nanosUntilNextStart(0), 10.0);
  }

  /** Starts granted of {@code wanted} tried at {@code now}. */
  private static int starts(StartPacer pacer, int wanted, long now) {
    int granted = 0;
    for (int i = 0; i < wanted && pacer.tryStart(now); i++) {
      granted++;
    }
    return granted;
  }
}
