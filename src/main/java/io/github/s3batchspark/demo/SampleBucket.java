package io.github.s3batchspark.demo;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Fills a bucket with sample objects and writes an S3 Inventory of them (gzip CSV data file
 * behind a {@code manifest.json}, as Amazon's inventory delivers it), so that a job can be tried
 * on a local S3 server without an AWS account.
 *
 * <p>Objects are spread over a few prefixes, storage classes and encryption statuses (as the
 * inventory reports them: the objects themselves are plain) so that the demo's SQL filter has
 * something to choose from. The inventory's ETag column makes every task guarded.
 */
public final class SampleBucket {
  private static final String[] PREFIXES = {"logs/2026/", "images/raw/", "exports/daily/",
      "archive/"};
  private static final String[] STORAGE_CLASSES = {"STANDARD", "STANDARD_IA", "GLACIER_IR"};
  private static final String[] ENCRYPTION_STATUSES = {"SSE-S3", "SSE-S3", "SSE-KMS", "NOT-SSE",
      "SSE-S3"};
  private static final String FILE_SCHEMA = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, "
      + "Size, LastModifiedDate, ETag, StorageClass, EncryptionStatus";

  private final S3Client s3;

  public SampleBucket(S3Client s3) {
    this.s3 = s3;
  }

  /** Where the inventory was written, and its manifest object's ETag (the job spec needs it). */
  public record Inventory(String bucket, String manifestKey, String manifestEtag) {
    public String manifestArn() {
      return "arn:aws:s3:::" + bucket + "/" + manifestKey;
    }
  }

  /**
   * Creates {@code bucket} with {@code count} objects and an inventory of them in
   * {@code inventoryBucket} under {@code inventory/<bucket>/demo/}.
   */
  public Inventory create(String bucket, String inventoryBucket, int count) throws IOException {
    createBucket(bucket);
    createBucket(inventoryBucket);
    List<String[]> rows = putObjects(bucket, count);
    return writeInventory(bucket, inventoryBucket, rows);
  }

  private void createBucket(String name) {
    try {
      s3.createBucket(b -> b.bucket(name));
    } catch (BucketAlreadyOwnedByYouException alreadyThere) {
      // a second demo run reuses the bucket
    }
  }

  private List<String[]> putObjects(String bucket, int count) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<String[]>> puts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        final int n = i;
        puts.add(pool.submit(() -> putOne(bucket, n)));
      }
      List<String[]> rows = new ArrayList<>(count);
      for (Future<String[]> f : puts) {
        rows.add(f.get());
      }
      return rows;
    } catch (Exception e) {
      throw new IOException("could not write the sample objects to bucket " + bucket + ": "
          + e.getMessage(), e);
    } finally {
      pool.shutdown();
    }
  }

  private String[] putOne(String bucket, int n) {
    String key = PREFIXES[n % PREFIXES.length] + "object " + n + (n % 7 == 0 ? "+extra" : "")
        + ".txt";
    String storageClass = STORAGE_CLASSES[n % STORAGE_CLASSES.length];
    String body = "sample object " + n + "\n".repeat(1 + n % 50);
    PutObjectResponse r = s3.putObject(b -> b.bucket(bucket).key(key),
        RequestBody.fromString(body));
    String etag = r.eTag().replace("\"", "");
    String size = String.valueOf(body.getBytes(StandardCharsets.UTF_8).length);
    String modified = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    // inventory CSV files URL-encode keys: a space as %20, never +, slashes kept
    String encodedKey = SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    return new String[] {bucket, encodedKey, "", "true", "false", size, modified, etag,
        storageClass, ENCRYPTION_STATUSES[n % ENCRYPTION_STATUSES.length]};
  }

  private Inventory writeInventory(String bucket, String inventoryBucket, List<String[]> rows)
      throws IOException {
    String base = "inventory/" + bucket + "/demo/";
    byte[] data = gzipCsv(rows);
    String dataKey = base + "data/" + java.util.UUID.randomUUID() + ".csv.gz";
    s3.putObject(b -> b.bucket(inventoryBucket).key(dataKey), RequestBody.fromBytes(data));
    String manifest = "{\n"
        + "  \"sourceBucket\" : \"" + bucket + "\",\n"
        + "  \"destinationBucket\" : \"arn:aws:s3:::" + inventoryBucket + "\",\n"
        + "  \"version\" : \"2016-11-30\",\n"
        + "  \"creationTimestamp\" : \"" + System.currentTimeMillis() + "\",\n"
        + "  \"fileFormat\" : \"CSV\",\n"
        + "  \"fileSchema\" : \"" + FILE_SCHEMA + "\",\n"
        + "  \"files\" : [ {\n"
        + "    \"key\" : \"" + dataKey + "\",\n"
        + "    \"size\" : " + data.length + ",\n"
        + "    \"MD5checksum\" : \"" + md5Hex(data) + "\"\n"
        + "  } ]\n"
        + "}\n";
    String manifestKey = base + "manifest.json";
    String etag = s3.putObject(b -> b.bucket(inventoryBucket).key(manifestKey),
        RequestBody.fromString(manifest)).eTag().replace("\"", "");
    return new Inventory(inventoryBucket, manifestKey, etag);
  }

  private static byte[] gzipCsv(List<String[]> rows) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Writer w = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          w.write(i == 0 ? "" : ",");
          w.write('"');
          w.write(row[i]);
          w.write('"');
        }
        w.write('\n');
      }
    }
    return bytes.toByteArray();
  }

  private static String md5Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code SampleBucket ENDPOINT BUCKET INVENTORY_BUCKET COUNT [EXTRA_BUCKET...]}: prints the
   * inventory manifest's ARN and ETag; the extra buckets (copy targets, reports) are created empty.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: SampleBucket ENDPOINT_URL BUCKET INVENTORY_BUCKET COUNT [EXTRA_BUCKET...]");
      System.exit(2);
    }
    // seeding the sample bucket is the caller's own work, not a job's: no role to assume
    ClientSettings settings = ClientSettings.defaults().withCallerCredentials()
        .withEndpoint(args[0]);
    try (S3Client s3 = ExecutorClients.syncClient(settings)) {
      SampleBucket sample = new SampleBucket(s3);
      for (int i = 4; i < args.length; i++) {
        sample.createBucket(args[i]);
      }
      Inventory inv = sample.create(args[1], args[2], Integer.parseInt(args[3]));
      System.out.println(inv.manifestArn() + " " + inv.manifestEtag());
    }
  }
}
