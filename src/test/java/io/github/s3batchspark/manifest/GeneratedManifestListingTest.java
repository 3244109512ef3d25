package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.job.spec.S3JobManifestGenerator;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.ForwardingS3Proxy;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The listing behind a generated manifest, on moto_server: every key once, current or all versions. */
class GeneratedManifestListingTest {
  private static final LocalS3Server SERVER = LocalS3Server.moto();
  private static final S3Client S3 = SERVER.client();
  private static SparkSession spark;
  private static String tree;

  /**
   * 2,500 keys: a few at the root, nested prefixes two levels deep, a wide prefix of many small
   * sub-prefixes, and a flat prefix of 1,500 keys (some outside ASCII, where S3's order is not
   * Java's), so that pages of 7 keys cross every kind of piece boundary.
   */
  @BeforeAll
  static void bucketOfNestedAndFlatPrefixes() {
    spark = LocalSpark.session();
    tree = Buckets.create(S3, "listing-tree");
    List<String> keys = new ArrayList<>(List.of("root-1", "root-2", "root 3"));
    for (int i = 0; i < 300; i++) {
      keys.add("nested/" + (char) ('a' + i % 5) + "/" + (i % 3) + "/obj-" + i);
    }
    for (int i = 0; i < 697; i++) {
      keys.add("wide/p" + (i % 40) + "/f" + i);
    }
    for (int i = 0; i < 1495; i++) {
      keys.add("flat/" + String.format("%05d", i * 7));
    }
    keys.addAll(List.of("flat/caf\u00e9", "flat/\uD83D\uDE00", "flat/\uE000x", "flat/~", "flat/ "));
    assertEquals(2500, keys.size());
    putAll(tree, keys);
  }

  static void putAll(String bucket, List<String> keys) {
    keys.parallelStream().forEach(k -> S3.putObject(b -> b.bucket(bucket).key(k),
        software.amazon.awssdk.core.sync.RequestBody.fromString("x".repeat(k.length()))));
  }

  private static S3JobManifestGenerator generator(String bucket) {
    return new S3JobManifestGenerator(null, "arn:aws:s3:::" + bucket, null, null, false);
  }

  private static List<String> listedByTheTest(String bucket) {
    return S3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key).toList();
  }

  @Test
  void piecesListEveryKeyOnceAcrossPageAndPieceBoundaries() {
    ListingOptions small = ListingOptions.defaults(2).withPageSize(7).withTargetPieces(60)
        .withRangesInFlight(2); // partitions of a few ranges each: many partitions, ranges queued

    Dataset<Row> manifest = GeneratedManifest.load(spark, generator(tree),
        SERVER.clientSettings(), small);

    List<String> keys = manifest.select("key").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    assertEquals(2500, keys.size(), "no key doubled");
    assertEquals(new HashSet<>(listedByTheTest(tree)), new HashSet<>(keys), "no key lost");
    assertTrue(manifest.rdd().getNumPartitions() >= 20,
        "the key space was split: " + manifest.rdd().getNumPartitions() + " pieces");
  }

  @Test
  void flatPrefixIsCutIntoAdjacentStartAfterRangesAfterItsFirstPage() {
    ListingOptions options = ListingOptions.defaults(2).withPageSize(7).withTargetPieces(30);
    BucketListing listing = new BucketListing(ExecutorClients.get(SERVER.clientSettings()).s3(),
        tree, null, ListingOptions.Versions.CURRENT, 7);

    List<KeyRange> ranges = new KeySpaceSplitter(listing, options).flat("flat/");

    assertTrue(ranges.size() > 10, ranges::toString);
    assertNull(ranges.get(0).after());
    // the first page: "flat/ " (a space sorts before digits), flat/00000 ... flat/00035
    assertEquals("flat/00035", ranges.get(0).upTo(), "the first page's last key");
    assertNull(ranges.get(ranges.size() - 1).upTo());
    for (int i = 1; i < ranges.size(); i++) {
      assertEquals(ranges.get(i - 1).upTo(), ranges.get(i).after(), "adjacent: " + ranges);
      assertTrue(KeyOrder.compare(ranges.get(i).after(), ranges.get(i - 1).after() == null
          ? "" : ranges.get(i - 1).after()) > 0, "ascending: " + ranges);
    }
  }

  @Test
  void sampledRangesOfAFlatPrefixEachHoldKeysAndTogetherHoldItsKeysOnce() {
    ListingOptions options = ListingOptions.defaults(2).withPageSize(7).withTargetPieces(30);
    BucketListing listing = new BucketListing(ExecutorClients.get(SERVER.clientSettings()).s3(),
        tree, null, ListingOptions.Versions.CURRENT, 7);

    List<KeyRange> ranges = new KeySpaceSplitter(listing, options).flat("flat/");

    List<String> flatKeys = listedByTheTest(tree).stream().filter(k -> k.startsWith("flat/"))
        .toList();
    int total = 0;
    for (KeyRange range : ranges) {
      long held = flatKeys.stream().filter(k -> (range.after() == null
          || KeyOrder.compare(k, range.after()) > 0) && !range.isPast(k)).count();
      assertTrue(held > 0, "an empty range costs a request for nothing: " + range + " of "
          + ranges);
      total += held;
    }
    assertEquals(flatKeys.size(), total, "every key in exactly one range: " + ranges);
  }

  @Test
  void aPartitionListsItsRangesAtOnceNotOneAfterAnother() {
    List<String> prefixes = List.of("nested/a/", "nested/b/", "nested/c/", "nested/d/");
    try (ForwardingS3Proxy proxy = new ForwardingS3Proxy(SERVER)) {
      AtomicBoolean othersArrived = new AtomicBoolean();
      // the first listing request is held until the other ranges' requests arrive: listed one
      // range after another, they never would
      proxy.beforeFirst(r -> isListing(r), () -> othersArrived.set(
          awaitListings(proxy, prefixes.size())));
      BucketListing listing = new BucketListing(
          ExecutorClients.get(proxy.clientSettings()).s3(), tree, null,
          ListingOptions.Versions.CURRENT, 7);
      List<String> keys = new ArrayList<>();
      new RangeObjects(listing, GeneratorFilter.of(null, null),
          prefixes.stream().map(KeyRange::whole).iterator(), prefixes.size())
          .forEachRemaining(o -> keys.add(o.key()));

      assertTrue(othersArrived.get(), "every range's first page was asked for at once");
      for (String prefix : prefixes) {
        List<String> expected = listedByTheTest(tree).stream().filter(k -> k.startsWith(prefix))
            .toList();
        assertEquals(expected, keys.stream().filter(k -> k.startsWith(prefix)).toList(),
            "each range's keys once, in order, across its pages of 7");
      }
      assertEquals(prefixes.stream().mapToLong(p -> listedByTheTest(tree).stream()
          .filter(k -> k.startsWith(p)).count()).sum(), keys.size());
    }
  }

  private static boolean isListing(ForwardingS3Proxy.Request request) {
    return request.method().equals("GET") && request.query() != null
        && request.query().contains("list-type=2");
  }

  /** Whether {@code count} listing requests reached the proxy within a minute (a guard only). */
  private static boolean awaitListings(ForwardingS3Proxy proxy, int count) {
    long giveUp = System.nanoTime() + 60_000_000_000L;
    while (proxy.requests().stream().filter(r -> isListing(r)).count() < count) {
      if (System.nanoTime() > giveUp) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** S3 lists in UTF-8 byte order: an emoji (U+1F600) after U+E000, unlike String.compareTo. */
  @Test
  void keysCompareInS3sOrderNotJavas() {
    assertTrue("\uD83D\uDE00".compareTo("\uE000") < 0);
    assertTrue(KeyOrder.compare("\uD83D\uDE00", "\uE000") > 0);
    assertTrue(KeyOrder.compare("flat/", "flat/0") < 0);
    assertEquals(0, KeyOrder.compare("caf\u00e9", "caf\u00e9"));
    List<String> listed = listedByTheTest(tree).stream().filter(k -> k.startsWith("flat/"))
        .toList();
    for (int i = 1; i < listed.size(); i++) {
      assertTrue(KeyOrder.compare(listed.get(i - 1), listed.get(i)) < 0, listed.get(i));
    }
  }

  @Test
  void defaultOptionsListTheSameKeysWithTheirListedColumns() {
    Dataset<Row> manifest = GeneratedManifest.load(spark, generator(tree),
        SERVER.clientSettings());

    assertEquals(List.of("bucket", "key", "version_id", "etag", "size", "last_modified_date",
        "storage_class"), List.of(manifest.columns()));
    Map<String, Row> byKey = manifest.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("key"), r -> r));
    assertEquals(new HashSet<>(listedByTheTest(tree)), byKey.keySet());
    Row row = byKey.get("flat/caf\u00e9");
    assertEquals(tree, row.getAs("bucket"));
    assertNull(row.getAs("version_id"));
    assertEquals((long) "flat/caf\u00e9".length(), (long) row.getAs("size"));
    assertEquals("STANDARD", row.getAs("storage_class"));
    String etag = S3.headObject(b -> b.bucket(tree).key("flat/caf\u00e9")).eTag();
    assertEquals(etag.replace("\"", ""), row.getAs("etag"));
  }

  @Test
  void versionedBucketListsCurrentVersionsUnlessAllVersionsAreAsked() {
    String bucket = Buckets.createVersioned(S3, "listing-versions");
    String k1v1 = S3.putObject(b -> b.bucket(bucket).key("k1"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("one")).versionId();
    String k1v2 = S3.putObject(b -> b.bucket(bucket).key("k1"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("two!")).versionId();
    String gone = S3.putObject(b -> b.bucket(bucket).key("dir/gone"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("gone")).versionId();
    S3.deleteObject(b -> b.bucket(bucket).key("dir/gone"));
    String k3 = S3.putObject(b -> b.bucket(bucket).key("dir/k3"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("three")).versionId();
    ListingOptions options = ListingOptions.defaults(2).withPageSize(1);

    Dataset<Row> current = GeneratedManifest.load(spark, generator(bucket),
        SERVER.clientSettings(), options);
    Dataset<Row> all = GeneratedManifest.load(spark, generator(bucket), SERVER.clientSettings(),
        options.withVersions(ListingOptions.Versions.ALL));

    Map<String, Row> currentByKey = current.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("key"), r -> r));
    assertEquals(Set.of("k1", "dir/k3"), currentByKey.keySet(), "a deleted key is not listed");
    assertNull(currentByKey.get("k1").getAs("version_id"), "the current object, not a version");
    assertEquals(4L, (long) currentByKey.get("k1").getAs("size"));
    Set<String> versions = all.collectAsList().stream()
        .map(r -> r.getAs("key") + "@" + r.getAs("version_id") + "@" + r.getAs("is_latest"))
        .collect(Collectors.toSet());
    assertEquals(Set.of("k1@" + k1v1 + "@false", "k1@" + k1v2 + "@true",
        "dir/gone@" + gone + "@false", "dir/k3@" + k3 + "@true"), versions,
        "every version once, delete markers skipped");
  }
}
