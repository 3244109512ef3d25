package io.github.s3batchspark.manifest;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator whose elements are found one at a time by {@link #computeNext()}, only when the
 * caller asks ({@link #hasNext()} or {@link #next()}), never in advance: the readers here stream
 * from S3, DynamoDB or a local file, and reading ahead would mean a request, or a page held,
 * that nobody may take.
 *
 * <p>What a caller may rely on: {@code hasNext()} may be called any number of times and finds
 * at most one element; once {@code computeNext()} has said the end, it is not asked again; a
 * {@code computeNext()} that throws has found nothing, so the next call asks it again. Elements
 * are never null, since null is how {@code computeNext()} says the end.
 */
abstract class LookAhead<T> implements Iterator<T> {
  private T ahead;
  private boolean ended;

  /**
   * The next element, or null when there is none. Called only when the previous element has
   * been taken, and never again once it has returned null, so a stream or client held for the
   * elements is best released here, before it returns null.
   */
  protected abstract T computeNext();

  @Override
  public final boolean hasNext() {
    if (ahead == null && !ended) {
      ahead = computeNext();
      ended = ahead == null;
    }
    return ahead != null;
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T element = ahead;
    ahead = null;
    return element;
  }
}
