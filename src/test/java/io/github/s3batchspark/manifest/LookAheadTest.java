package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * The readers built on {@link LookAhead} stream from S3 and DynamoDB, so what they may rely on
 * is proved here on a plain counter: an element is found once, only when asked for, and the end
 * is found once.
 */
class LookAheadTest {

  /** Hands out its elements in order, counting how often it was asked for one. */
  private static final class Counted extends LookAhead<String> {
    private final List<String> elements;
    private int taken;
    private int computed;
    private boolean failNext;

    Counted(String... elements) {
      this.elements = List.of(elements);
    }

    @Override
    protected String computeNext() {
      computed++;
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("page request failed");
      }
      return taken < elements.size() ? elements.get(taken++) : null;
    }
  }

  @Test
  void hasNextIsIdempotentAndComputesTheNextElementOnce() {
    Counted counted = new Counted("a", "b");

    assertTrue(counted.hasNext());
    assertTrue(counted.hasNext());
    assertTrue(counted.hasNext());

    assertEquals(1, counted.computed);
    assertEquals("a", counted.next());
    assertEquals(1, counted.computed);
  }

  @Test
  void noElementIsComputedBeforeItIsAskedFor() {
    Counted counted = new Counted("a", "b", "c");

    assertEquals(0, counted.computed);
    assertEquals("a", counted.next());
    assertEquals(1, counted.computed);
    assertEquals("b", counted.next());
    assertEquals(2, counted.computed);
  }

  @Test
  void nextAloneTakesEveryElementInOrder() {
    Counted counted = new Counted("a", "b", "c");
    List<String> taken = new ArrayList<>();

    for (int i = 0; i < 3; i++) {
      taken.add(counted.next());
    }

    assertEquals(List.of("a", "b", "c"), taken);
  }

  @Test
  void nextPastTheEndThrowsNoSuchElementException() {
    Counted counted = new Counted("a");
    counted.next();

    assertFalse(counted.hasNext());
    assertThrows(NoSuchElementException.class, counted::next);
    assertThrows(NoSuchElementException.class, new Counted()::next);
  }

  @Test
  void theEndIsComputedOnceHoweverOftenItIsAskedFor() {
    Counted counted = new Counted("a");
    counted.next();

    assertFalse(counted.hasNext());
    assertFalse(counted.hasNext());
    assertThrows(NoSuchElementException.class, counted::next);

    assertEquals(2, counted.computed);
  }

  @Test
  void aComputationThatThrowsFoundNothingAndIsAskedAgain() {
    Counted counted = new Counted("a", "b");
    counted.next();
    counted.failNext = true;

    assertThrows(IllegalStateException.class, counted::hasNext);
    assertEquals("b", counted.next());
    assertFalse(counted.hasNext());
  }
}
