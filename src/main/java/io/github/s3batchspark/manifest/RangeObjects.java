package io.github.s3batchspark.manifest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The objects of a partition's key ranges that pass the listing's filter members, streamed as
 * their pages arrive: up to {@code rangesInFlight} ranges are listed at once, each one a chain of
 * asynchronous page requests (the next asked for as soon as the previous page's continuation
 * arrives). Objects of different ranges interleave; each range's come in key order.
 *
 * <p>Memory is bounded by pages, not keys: once {@code rangesInFlight} pages wait for Spark to
 * take them, a range whose page arrives parks its next request until Spark has taken one, so a
 * partition holds at most about twice that many pages whatever its ranges' sizes.
 */
final class RangeObjects extends LookAhead<ListedObject> implements AutoCloseable {
  /** What the listing threads hand to the one that Spark pulls rows on. */
  private sealed interface Arrival permits Listed, Failed, Done {}

  private record Listed(List<ListedObject> objects) implements Arrival {}

  private record Failed(RuntimeException failure) implements Arrival {}

  private record Done() implements Arrival {}

  private final BucketListing listing;
  private final GeneratorFilter filter;
  private final Queue<KeyRange> waiting;
  private final int pagesBuffered;
  private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
  private final Queue<Runnable> parked = new ConcurrentLinkedQueue<>();
  private final AtomicInteger buffered = new AtomicInteger();
  private final AtomicInteger ranges;
  private volatile boolean closed;
  private Iterator<ListedObject> onPage = List.<ListedObject>of().iterator();
  private boolean done;

  /**
   * Starts listing: the first {@code rangesInFlight} ranges' first pages are requested now.
   *
   * @param ranges the partition's ranges, read here once (a few, never keys)
   */
  RangeObjects(BucketListing listing, GeneratorFilter filter, Iterator<KeyRange> ranges,
      int rangesInFlight) {
    this.listing = listing;
    this.filter = filter;
    List<KeyRange> all = new ArrayList<>();
    ranges.forEachRemaining(all::add);
    this.ranges = new AtomicInteger(all.size());
    this.pagesBuffered = rangesInFlight;
    if (all.isEmpty()) {
      arrivals.add(new Done());
    }
    this.waiting = new ConcurrentLinkedQueue<>(all.subList(Math.min(rangesInFlight, all.size()),
        all.size()));
    for (KeyRange range : all.subList(0, Math.min(rangesInFlight, all.size()))) {
      first(range);
    }
  }

  @Override
  protected ListedObject computeNext() {
    for (ListedObject candidate = nextListed(); candidate != null; candidate = nextListed()) {
      if (filter.listingMatches(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Closes {@code objects} when the Spark task running on this thread ends, however it ends (a
   * cancelled job, a failed stage, a consumer that stopped early), so that no range keeps asking
   * for pages nobody will read. Outside a task (the driver, a test) it does nothing.
   */
  static void closeWithTask(RangeObjects objects) {
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> objects.close());
    }
  }

  /** Stops asking for pages (requests already sent complete and are dropped). */
  @Override
  public void close() {
    closed = true;
    parked.clear();
    waiting.clear();
  }

  /** The next listed object of any range, waiting for a page when none is here; null at the end. */
  private ListedObject nextListed() {
    while (!onPage.hasNext()) {
      if (done) {
        return null;
      }
      Arrival arrival = take();
      if (arrival instanceof Failed failed) {
        close();
        throw failed.failure();
      }
      if (arrival instanceof Done) {
        done = true;
        return null;
      }
      onPage = ((Listed) arrival).objects().iterator();
      buffered.decrementAndGet();
      Runnable resume = parked.poll();
      if (resume != null) {
        resume.run();
      }
    }
    return onPage.next();
  }

  private Arrival take() {
    try {
      return arrivals.take();
    } catch (InterruptedException e) { // Spark kills a cancelled task's thread this way
      Thread.currentThread().interrupt();
      close();
      throw new ManifestException("listing interrupted: the Spark task was cancelled", e);
    }
  }

  private void first(KeyRange range) {
    listing.firstAsync(range).whenComplete((page, failure) -> arrived(range, page, failure));
  }

  /**
   * A page of {@code range}: its objects up to the range's end are handed over, and its next page
   * asked for at once (or after Spark takes a page, when enough wait), or the next range started.
   */
  private void arrived(KeyRange range, ListingPage page, Throwable failure) {
    if (closed) {
      return;
    }
    if (failure != null) {
      arrivals.add(new Failed(failure(range, failure)));
      return;
    }
    List<ListedObject> objects = page.objects();
    int inRange = objects.size();
    while (inRange > 0 && range.isPast(objects.get(inRange - 1).key())) {
      inRange--;
    }
    boolean more = page.next() != null && inRange == objects.size();
    Runnable then = more
        ? () -> listing.nextAsync(range, page).whenComplete((p, f) -> arrived(range, p, f))
        : this::rangeDone;
    // parked before the page is handed over, so that taking this page finds it
    if (more && buffered.incrementAndGet() > pagesBuffered) {
      parked.add(then);
      then = null;
    } else if (!more) {
      buffered.incrementAndGet();
    }
    arrivals.add(new Listed(inRange == objects.size() ? objects : objects.subList(0, inRange)));
    if (then != null) {
      then.run();
    }
  }

  /** After a range's last page: the partition is done, or one more range is started. */
  private void rangeDone() {
    if (ranges.decrementAndGet() == 0) {
      arrivals.add(new Done());
      return;
    }
    KeyRange next = waiting.poll();
    if (next != null) {
      first(next);
    }
  }

  private static RuntimeException failure(KeyRange range, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return cause instanceof ManifestException m ? m
        : new ManifestException("listing " + range + " failed: " + cause, cause);
  }
}
