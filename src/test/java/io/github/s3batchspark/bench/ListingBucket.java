package io.github.s3batchspark.bench;

/**
 * A bucket laid out as logs and date-partitioned tables are, for the runs that list one
 * ({@link ListingBench}, and {@link MemoryBench}'s generated manifest): three quarters of its
 * keys in a tree {@code logs/<year>/<month>/<day>/} (2 years, 12 months, 28 days: 672 leaf
 * prefixes) and a quarter in one flat prefix {@code flat/}, so that the generated manifest's
 * splitter meets both a wide tree and one prefix it must split by sampling.
 *
 * <p>The objects are stored (one byte each) straight into the load server's memory, not over
 * HTTP, because its listings show only stored objects, never virtual ones.
 */
record ListingBucket(String name, int keys) {
  private static final int LEAVES = 2 * 12 * 28;

  /** Stores {@code keys} objects in bucket {@code name} of the server's store. */
  static ListingBucket seed(LoadS3Server server, String name, int keys) {
    ObjectStore store = server.store();
    ObjectStore.Bucket bucket = store.createBucket(name);
    byte[] body = {'x'};
    // one content and one ETag shared by every object: the seeded bucket costs its keys only
    ObjectContent content = ObjectContent.stored(body);
    String etag = ObjectStore.md5Etag(body);
    int flat = keys / 4;
    for (int i = 0; i < flat; i++) {
      store.put(bucket, "flat/" + pad(i, 10), content, etag, null);
    }
    for (int i = 0; i < keys - flat; i++) {
      int leaf = i % LEAVES;
      String day = "logs/" + (2023 + leaf / (12 * 28)) + "/" + pad(1 + leaf / 28 % 12, 2) + "/"
          + pad(1 + leaf % 28, 2) + "/";
      store.put(bucket, day + "part-" + pad(i, 10) + ".json", content, etag, null);
    }
    return new ListingBucket(name, keys);
  }

  /** How many of the bucket's objects carry this tag set, counted in the store. */
  long countWithTagSet(LoadS3Server server, int tagSet) {
    return server.store().bucket(name).objects.values().stream()
        .filter(o -> o.tagSet() == tagSet).count();
  }

  private static String pad(int value, int width) {
    String digits = Integer.toString(value);
    return "0".repeat(Math.max(0, width - digits.length())) + digits;
  }
}
