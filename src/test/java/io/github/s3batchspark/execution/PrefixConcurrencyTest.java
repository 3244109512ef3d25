package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.PrefixConcurrency.Signal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixConcurrencyTest {
  private static final String PREFIX = "bucket/photos/2024/";
  private final PrefixConcurrency limits = PrefixConcurrency.isolated();

  @Test
  void prefixThatNeverComplainedHasNoLimit() {
    for (int i = 0; i < 1_000; i++) {
      assertTrue(limits.acquireOrWait(PREFIX, p -> { }));
    }
    assertEquals(Integer.MAX_VALUE, limits.limit(PREFIX));
  }

  @Test
  void slowDownDropsTheLimitBelowWhatWasInFlight() {
    takingRequests(40);
    limits.release(PREFIX, System.nanoTime(), Signal.THROTTLED);

    assertEquals(36, limits.limit(PREFIX), "40 in flight, one throttled: 40 x 0.9");
    assertEquals(1, limits.decreases());
  }

  @Test
  void prefixRefusingNearlyEverythingIsHalvedAtOnce() {
    acquire(40);
    limits.release(PREFIX, System.nanoTime(), Signal.THROTTLED);

    assertEquals(20, limits.limit(PREFIX), "nothing accepted, one throttled: the steepest drop");
  }

  @Test
  void answersToRequestsSentBeforeTheDropDoNotDropItAgain() {
    long sentEarly = System.nanoTime();
    takingRequests(40);
    limits.release(PREFIX, sentEarly, Signal.THROTTLED);
    for (int i = 0; i < 10; i++) {
      limits.release(PREFIX, sentEarly, Signal.THROTTLED);
    }
    assertEquals(36, limits.limit(PREFIX));
    assertEquals(11, limits.throttledAnswers());

    limits.release(PREFIX, System.nanoTime(), Signal.THROTTLED);
    assertEquals(2, limits.decreases(), "a request sent after the drop was refused too");
    assertTrue(limits.limit(PREFIX) <= 14, "12 throttled, none accepted since the first drop:"
        + " the steepest drop, half of the 28 in flight: " + limits.limit(PREFIX));
  }

  @Test
  void limitReachedWaitsAndTheNextReleaseWakesTheWaiter() {
    acquire(2);
    limits.release(PREFIX, System.nanoTime(), Signal.THROTTLED); // 2 x 0.5: the floor, 1
    assertEquals(1, limits.limit(PREFIX));

    List<String> woken = new ArrayList<>();
    assertFalse(limits.acquireOrWait(PREFIX, woken::add), "one request is still in flight");
    assertEquals(List.of(), woken);
    limits.release(PREFIX, System.nanoTime(), Signal.ACCEPTED);
    assertEquals(List.of(PREFIX), woken, "woken once, by the release");
    assertTrue(limits.acquireOrWait(PREFIX, woken::add));
  }

  @Test
  void acceptedAnswersAtTheLimitRaiseItAQuarterRequestPerRoundTrip() {
    takingRequests(10);
    limits.release(PREFIX, System.nanoTime(), Signal.THROTTLED);
    assertEquals(9, limits.limit(PREFIX));
    // Kept at the limit: each accepted answer adds 0.25 / limit, and the slots are refilled.
    for (int i = 0; i < 108; i++) {
      limits.release(PREFIX, System.nanoTime(), Signal.ACCEPTED);
      while (limits.acquireOrWait(PREFIX, p -> { })) {
        // fill up to the limit again, as a busy runner does
      }
    }
    assertEquals(11, limits.limit(PREFIX), "108 answers, about eleven round trips: + 2.6");
  }

  @Test
  void answersBelowTheLimitDoNotRaiseIt() {
    takingRequests(10);
    limits.release(PREFIX, System.nanoTime(), Signal.THROTTLED);
    for (int i = 0; i < 8; i++) {
      limits.release(PREFIX, System.nanoTime(), Signal.ACCEPTED);
    }
    for (int i = 0; i < 500; i++) {
      acquire(1);
      limits.release(PREFIX, System.nanoTime(), Signal.ACCEPTED);
    }
    assertEquals(9, limits.limit(PREFIX), "never more than two of nine in flight");
  }

  @Test
  void otherErrorsSayNothingAboutTheRate() {
    acquire(10);
    for (int i = 0; i < 10; i++) {
      limits.release(PREFIX, System.nanoTime(), Signal.NEUTRAL);
    }
    assertEquals(0, limits.decreases());
    assertEquals(Integer.MAX_VALUE, limits.limit(PREFIX));
  }

  /**
   * A prefix that has answered many requests without complaint and now has {@code n} in
   * flight (the accepted answers come while it has no limit, so they raise nothing).
   */
  private void takingRequests(int n) {
    acquire(n);
    for (int i = 0; i < 100; i++) {
      acquire(1);
      limits.release(PREFIX, System.nanoTime(), Signal.ACCEPTED);
    }
  }

  private void acquire(int n) {
    for (int i = 0; i < n; i++) {
      assertTrue(limits.acquireOrWait(PREFIX, p -> { }), "slot " + i);
    }
  }
}
