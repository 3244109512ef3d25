package io.github.s3batchspark.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buckets and objects of the load server, in memory and safe to use from every event loop.
 *
 * <p>An object is stored (a client wrote it) or virtual (one of a {@link VirtualObjects} range);
 * a stored object with the same key hides the virtual one. Tag sets are interned: a job that
 * gives a million objects the same tags keeps one copy of them.
 */
final class ObjectStore {
  /** One object as a request sees it. {@code virtualIndex} is -1 for stored objects. */
  record S3Object(ObjectContent content, String etag, long lastModified, int tagSet,
      String contentType, VirtualObjects range, int virtualIndex) {

    long size() {
      return content.length();
    }

    S3Object withTagSet(int tagSet) {
      return new S3Object(content, etag, lastModified, tagSet, contentType, range, virtualIndex);
    }
  }

  record Tag(String key, String value) {}

  record Part(ObjectContent content, String etag) {}

  record Upload(String bucket, String key, String contentType,
      ConcurrentSkipListMap<Integer, Part> parts) {}

  static final class Bucket {
    final String name;
    final NavigableMap<String, S3Object> objects = new ConcurrentSkipListMap<>();
    final List<VirtualObjects> ranges = new CopyOnWriteArrayList<>();

    Bucket(String name) {
      this.name = name;
    }
  }

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Map<List<Tag>, Integer> tagSetIds = new ConcurrentHashMap<>();
  private final List<List<Tag>> tagSets = new CopyOnWriteArrayList<>(List.of(List.of()));
  private final AtomicLong uploadIds = new AtomicLong();
  private final AtomicLong taggingWrites = new AtomicLong();

  Bucket createBucket(String name) {
    return buckets.computeIfAbsent(name, Bucket::new);
  }

  Bucket bucket(String name) {
    return buckets.get(name);
  }

  boolean deleteBucket(String name) {
    return buckets.remove(name) != null;
  }

  List<String> bucketNames() {
    return buckets.keySet().stream().sorted().toList();
  }

  /** Declares {@code count} objects of {@code size} bytes without storing any of them. */
  VirtualObjects seed(String bucket, String base, int prefixes, int count, long size) {
    return seed(new VirtualObjects(bucket, base, prefixes, count, size));
  }

  VirtualObjects seed(VirtualObjects range) {
    createBucket(range.bucket()).ranges.add(range);
    return range;
  }

  /** The object, or null when it does not exist. */
  S3Object get(Bucket bucket, String key) {
    S3Object stored = bucket.objects.get(key);
    if (stored != null) {
      return stored;
    }
    for (VirtualObjects range : bucket.ranges) {
      int i = range.indexOf(key);
      if (i >= 0) {
        return new S3Object(range.content(i), range.etag(i), 0L, range.tagSet(i), null, range, i);
      }
    }
    return null;
  }

  S3Object put(Bucket bucket, String key, ObjectContent content, String etag,
      String contentType) {
    S3Object o = new S3Object(content, etag, System.currentTimeMillis(), 0, contentType, null, -1);
    bucket.objects.put(key, o);
    return o;
  }

  void delete(Bucket bucket, String key) {
    bucket.objects.remove(key);
  }

  /** Replaces the object's tag set; false when the object does not exist. */
  boolean setTags(Bucket bucket, String key, List<Tag> tags) {
    int id = tagSetId(tags);
    S3Object o = get(bucket, key);
    if (o == null) {
      return false;
    }
    if (o.virtualIndex() >= 0) {
      o.range().setTagSet(o.virtualIndex(), id);
    } else if (bucket.objects.computeIfPresent(key, (k, v) -> v.withTagSet(id)) == null) {
      return false;
    }
    taggingWrites.incrementAndGet();
    return true;
  }

  List<Tag> tags(int tagSet) {
    return tagSets.get(tagSet);
  }

  int tagSetId(List<Tag> tags) {
    List<Tag> key = List.copyOf(tags);
    return tagSetIds.computeIfAbsent(key, k -> {
      synchronized (tagSets) {
        tagSets.add(k);
        return tagSets.size() - 1;
      }
    });
  }

  long taggingWrites() {
    return taggingWrites.get();
  }

  String createUpload(String bucket, String key, String contentType) {
    String id = "upload-" + uploadIds.incrementAndGet();
    uploads.put(id, new Upload(bucket, key, contentType, new ConcurrentSkipListMap<>()));
    return id;
  }

  Upload upload(String uploadId) {
    return uploads.get(uploadId);
  }

  Upload removeUpload(String uploadId) {
    return uploads.remove(uploadId);
  }

  int openUploads() {
    return uploads.size();
  }

  static String md5Etag(byte[] bytes) {
    return "\"" + hexOf(md5(bytes)) + "\"";
  }

  /** S3's multipart ETag: the MD5 of the parts' MD5s, then a dash and the number of parts. */
  static String multipartEtag(List<Part> parts) {
    StringBuilder all = new StringBuilder();
    parts.forEach(p -> all.append(p.etag()));
    return "\"" + hexOf(md5(all.toString().getBytes(StandardCharsets.UTF_8))) + "-"
        + parts.size() + "\"";
  }

  /** The ETag of a part copied from generated content (its MD5 would cost a full read). */
  static String generatedEtag(long seed, long length) {
    long h = VirtualObjects.mix(seed * 31 + length);
    return "\"" + VirtualObjects.hex(h) + VirtualObjects.hex(VirtualObjects.mix(h)) + "\"";
  }

  static List<Part> partsInOrder(Upload upload, List<Integer> numbers) {
    List<Part> parts = new ArrayList<>();
    if (numbers.isEmpty()) {
      parts.addAll(upload.parts().values());
      return parts;
    }
    for (int n : numbers) {
      Part p = upload.parts().get(n);
      if (p == null) {
        return null;
      }
      parts.add(p);
    }
    return parts;
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hexOf(byte[] b) {
    StringBuilder s = new StringBuilder(b.length * 2);
    for (byte x : b) {
      s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return s.toString();
  }
}
