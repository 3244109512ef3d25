package io.github.s3batchspark.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.job.ObjectsDone;
import org.junit.jupiter.api.Test;

/** A job's rate from counts that arrive in steps, on a clock the test turns. */
class RecentRateTest {
  private static final long SECOND = 1_000_000_000L;
  private final Object run = new Object();
  private final RecentRate rate = new RecentRate(9 * SECOND);

  @Test
  void theRateIsMeasuredBetweenStepsNotBetweenReadings() {
    // The count when the wave is first seen may have moved before it began: no step.
    assertTrue(Double.isNaN(rate.perSecond(run, new ObjectsDone(0, -20 * SECOND, 1), 0)));
    assertTrue(Double.isNaN(rate.perSecond(run, new ObjectsDone(3_000, 3 * SECOND, 1),
        3 * SECOND)), "one step of the wave: not known yet");
    // Read every second; the count moves every 3 s.
    assertTrue(Double.isNaN(rate.perSecond(run, new ObjectsDone(3_000, 3 * SECOND, 1),
        4 * SECOND)));
    assertEquals(1_000, rate.perSecond(run, new ObjectsDone(6_000, 6 * SECOND, 1), 6 * SECOND));
    assertEquals(1_000, rate.perSecond(run, new ObjectsDone(6_000, 6 * SECOND, 1), 8 * SECOND));
  }

  @Test
  void aNewWaveIsMeasuredAfreshSoThePauseBetweenWavesIsNotTakenForSlowness() {
    rate.perSecond(run, new ObjectsDone(0, 0, 1), 0);
    rate.perSecond(run, new ObjectsDone(3_000, 3 * SECOND, 1), 3 * SECOND);
    rate.perSecond(run, new ObjectsDone(6_000, 6 * SECOND, 1), 6 * SECOND);
    // 10 s of commit and planning, then the next wave.
    assertTrue(Double.isNaN(rate.perSecond(run, new ObjectsDone(6_000, 6 * SECOND, 2),
        16 * SECOND)));
    assertTrue(Double.isNaN(rate.perSecond(run, new ObjectsDone(7_000, 19 * SECOND, 2),
        19 * SECOND)));
    assertEquals(500, rate.perSecond(run, new ObjectsDone(8_500, 22 * SECOND, 2), 22 * SECOND));
  }

  @Test
  void aWaveWhoseCountStandsStillForAWholeWindowDoesNothing() {
    rate.perSecond(run, new ObjectsDone(0, 0, 1), 0);
    rate.perSecond(run, new ObjectsDone(3_000, 3 * SECOND, 1), 3 * SECOND);
    rate.perSecond(run, new ObjectsDone(6_000, 6 * SECOND, 1), 6 * SECOND);

    assertEquals(0, rate.perSecond(run, new ObjectsDone(6_000, 6 * SECOND, 1), 16 * SECOND));
  }
}
