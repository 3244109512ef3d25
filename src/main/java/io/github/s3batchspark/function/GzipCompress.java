package io.github.s3batchspark.function;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Writes a gzip-compressed copy of each object, for logs and exports kept for years: text
 * shrinks several times over and every tool reads gzip.
 *
 * <p>User arguments: {@code TargetPrefix} (default empty) and {@code TargetBucket} (default the
 * object's bucket); the copy goes to {@code TargetPrefix + key + ".gz"} with the source's user
 * metadata and {@code Content-Type: application/gzip} (no Content-Encoding, so that a download
 * gives the .gz file as it is stored). Objects whose key already ends in {@code .gz} are left
 * alone (Succeeded, and the message says so). The object is held in memory while it is
 * compressed.
 */
public final class GzipCompress implements ObjectFunction {

  @Override
  public FunctionResult apply(FunctionInput input) throws IOException {
    if (input.key().endsWith(".gz")) {
      return FunctionResult.succeeded("Already gzip (.gz): left as it is");
    }
    String bucket = input.argument("TargetBucket", input.bucket());
    String key = input.argument("TargetPrefix", "") + input.key() + ".gz";
    var source = input.readObject();
    byte[] compressed = gzip(source.asByteArray());
    GetObjectResponse meta = source.response();
    input.writeObject(put -> put.bucket(bucket).key(key)
        .contentType("application/gzip")
        .metadata(meta.metadata()), compressed);
    return FunctionResult.succeeded("Compressed " + source.asByteArray().length + " to "
        + compressed.length + " bytes as " + key);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
