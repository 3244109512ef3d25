package io.github.s3batchspark.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A range of objects that exist without being stored: keys {@code <base>p<NNNN>/<index>} for
 * index 0 to count-1, spread round-robin over {@code prefixes} key prefixes (or, sorted, each
 * prefix holding one run of consecutive indexes, so that index order is key order), each of
 * the same size with generated content. Only what a request changes is kept, in arrays indexed by the
 * object's number (its tag set and how many times tags were written), so that five million
 * objects cost a few tens of megabytes.
 */
final class VirtualObjects {
  private final String bucket;
  private final String base;
  private final int prefixes;
  private final int count;
  private final long size;
  private final boolean sorted;
  private final AtomicIntegerArray tagSets;
  private final AtomicIntegerArray tagWrites;

  VirtualObjects(String bucket, String base, int prefixes, int count, long size) {
    this(bucket, base, prefixes, count, size, false);
  }

  VirtualObjects(String bucket, String base, int prefixes, int count, long size,
      boolean sorted) {
    if (prefixes < 1 || prefixes > 10_000) {
      throw new IllegalArgumentException("prefixes must be 1..10000, got " + prefixes);
    }
    this.bucket = bucket;
    this.base = base;
    this.prefixes = prefixes;
    this.count = count;
    this.size = size;
    this.sorted = sorted;
    this.tagSets = new AtomicIntegerArray(count);
    this.tagWrites = new AtomicIntegerArray(count);
  }

  String bucket() {
    return bucket;
  }

  int count() {
    return count;
  }

  long size() {
    return size;
  }

  /**
   * The key of object {@code index}: neighbours by number sit in different prefixes, unless
   * the range is sorted, when they share one.
   */
  String key(int index) {
    int prefix = sorted ? (int) ((long) index * prefixes / count) : index % prefixes;
    return base + "p" + pad(prefix, 4) + "/" + pad(index, 10);
  }

  /** The key prefix of object {@code index}, as S3 rates requests. */
  String prefix(int index) {
    String key = key(index);
    return key.substring(0, key.lastIndexOf('/') + 1);
  }

  /** The number of the object with this key, or -1 when the key is not one of this range. */
  int indexOf(String key) {
    if (!key.startsWith(base) || key.length() != base.length() + 16) {
      return -1;
    }
    int index;
    try {
      index = Integer.parseInt(key, base.length() + 6, key.length(), 10);
    } catch (NumberFormatException notOurs) {
      return -1;
    }
    return index >= 0 && index < count && key.equals(key(index)) ? index : -1;
  }

  /** Not an MD5 of the content (which nothing here reads): a stable, well-formed ETag. */
  String etag(int index) {
    long h = mix(bucket.hashCode() * 31L + index);
    return "\"" + hex(h) + hex(mix(h)) + "\"";
  }

  ObjectContent content(int index) {
    return ObjectContent.generated(mix(index), size);
  }

  int tagSet(int index) {
    return tagSets.get(index);
  }

  void setTagSet(int index, int tagSet) {
    tagSets.set(index, tagSet);
    tagWrites.incrementAndGet(index);
  }

  int tagWrites(int index) {
    return tagWrites.get(index);
  }

  /** How many objects of the range carry this tag set. */
  int countWithTagSet(int tagSet) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (tagSets.get(i) == tagSet) {
        n++;
      }
    }
    return n;
  }

  List<String> keys(int from, int to) {
    return java.util.stream.IntStream.range(from, Math.min(to, count)).mapToObj(this::key)
        .toList();
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static String hex(long v) {
    String s = Long.toHexString(v);
    return "0".repeat(16 - s.length()) + s;
  }

  private static String pad(int v, int width) {
    String s = Integer.toString(v);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }
}
