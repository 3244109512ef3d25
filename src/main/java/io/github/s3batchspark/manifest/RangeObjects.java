package io.github.s3batchspark.manifest;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The objects of some key ranges that pass the listing's filter members, one page fetched at a
 * time as Spark pulls rows: a partition holds one page, whatever the range's size.
 */
final class RangeObjects implements Iterator<ListedObject> {
  private final BucketListing listing;
  private final GeneratorFilter filter;
  private final Iterator<KeyRange> ranges;
  private KeyRange range;
  private ListingPage page;
  private Iterator<ListedObject> onPage;
  private ListedObject ahead;

  RangeObjects(BucketListing listing, GeneratorFilter filter, Iterator<KeyRange> ranges) {
    this.listing = listing;
    this.filter = filter;
    this.ranges = ranges;
  }

  @Override
  public boolean hasNext() {
    while (ahead == null) {
      ListedObject candidate = nextListed();
      if (candidate == null) {
        return false;
      }
      if (filter.listingMatches(candidate)) {
        ahead = candidate;
      }
    }
    return true;
  }

  @Override
  public ListedObject next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ListedObject result = ahead;
    ahead = null;
    return result;
  }

  /** The next object of the current range, moving to the next page or range; null at the end. */
  private ListedObject nextListed() {
    while (true) {
      if (onPage != null && onPage.hasNext()) {
        ListedObject object = onPage.next();
        if (!range.isPast(object.key())) {
          return object;
        }
        page = null; // past the range's end: the rest of it belongs to the next range
        onPage = null;
      }
      if (page != null && page.next() != null) {
        page = listing.next(range, page);
      } else if (ranges.hasNext()) {
        range = ranges.next();
        page = listing.first(range);
      } else {
        return null;
      }
      onPage = page.objects().iterator();
    }
  }
}
