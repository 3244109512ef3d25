package io.github.s3batchspark.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The objects and the CSV manifest ({@code Bucket,Key} at {@code <bucket>/manifest.csv}) that a
 * job-level test runs its job over ({@link CsvJobJson} is the job).
 */
public final class CsvManifest {
  private CsvManifest() {}

  /**
   * Puts {@code manifest.csv}, one row per key, each written as given (URL-encode a key as a
   * manifest must where it needs it), and returns the manifest's ETag, unquoted.
   */
  public static String put(S3Client s3, String bucket, List<String> keysAsWritten) {
    StringBuilder csv = new StringBuilder();
    keysAsWritten.forEach(key -> csv.append(bucket).append(',').append(key).append('\n'));
    return s3.putObject(b -> b.bucket(bucket).key("manifest.csv"),
        RequestBody.fromString(csv.toString())).eTag().replace("\"", "");
  }

  /**
   * Puts {@code count} small objects {@code <prefix>0 .. <prefix>count-1} (16 at a time: a
   * test's setup, not its subject) and the manifest of them; returns the manifest's ETag.
   */
  public static String putWithObjects(S3Client s3, String bucket, String prefix, int count)
      throws Exception {
    List<String> keys = new ArrayList<>();
    ExecutorService puts = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = prefix + i;
        keys.add(key);
        done.add(puts.submit(() -> Buckets.put(s3, bucket, key, "x")));
      }
      for (Future<String> put : done) {
        put.get();
      }
    } finally {
      puts.shutdown();
    }
    return put(s3, bucket, keys);
  }

  /**
   * Puts {@code count} objects {@code docs/file <i>.txt} (body {@code body <i>}: keys with a
   * space, which the manifest holds URL-encoded, as a manifest must) and the manifest of them;
   * returns the manifest's ETag.
   */
  public static String putDocs(S3Client s3, String bucket, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Buckets.put(s3, bucket, "docs/file " + i + ".txt", "body " + i);
      keys.add("docs/file+" + i + ".txt");
    }
    return put(s3, bucket, keys);
  }
}
