package io.github.s3batchspark.operation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/**
 * The buffers a stream hands over come in every shape: slices of a larger array (an array offset
 * and a position), direct buffers, read-only ones. Whatever the shape, each algorithm's streamed
 * value is the one-shot value of the whole content computed by the reference library, and the
 * buffers are left as they came.
 */
class StreamingChecksumTest {
  private static final byte[] BODY = body(100_003);

  @Test
  void everyAlgorithmHashesSlicedHeapBuffersInPlace() {
    everyAlgorithmMatchesItsReference(piece -> {
      // the piece sits in the middle of a larger array, and the buffer starts past its own start
      byte[] larger = new byte[piece.length + 24];
      System.arraycopy(piece, 0, larger, 16, piece.length);
      return ByteBuffer.wrap(larger, 8, piece.length + 8).slice().position(8)
          .limit(8 + piece.length);
    });
  }

  @Test
  void everyAlgorithmHashesDirectBuffers() {
    everyAlgorithmMatchesItsReference(piece ->
        ByteBuffer.allocateDirect(piece.length).put(piece).flip());
  }

  @Test
  void everyAlgorithmHashesReadOnlyBuffers() {
    everyAlgorithmMatchesItsReference(piece -> ByteBuffer.wrap(piece).asReadOnlyBuffer());
  }

  /** Pieces of uneven sizes, some larger than the scratch array, one empty. */
  private static void everyAlgorithmMatchesItsReference(Function<byte[], ByteBuffer> shape) {
    references().forEach((algorithm, reference) -> {
      StreamingChecksum streamed = StreamingChecksum.of(algorithm);
      for (ByteBuffer buffer : pieces(shape)) {
        int position = buffer.position();
        int limit = buffer.limit();
        streamed.update(buffer);
        assertEquals(position, buffer.position(), algorithm + " moved the buffer");
        assertEquals(limit, buffer.limit(), algorithm + " moved the buffer's limit");
      }
      assertArrayEquals(reference, streamed.value(), algorithm);
    });
  }

  private static List<ByteBuffer> pieces(Function<byte[], ByteBuffer> shape) {
    int[] sizes = {1, 0, 8191, 8192, 8193, 20_000, 7};
    List<ByteBuffer> pieces = new ArrayList<>();
    int at = 0;
    for (int i = 0; at < BODY.length; i++) {
      int n = Math.min(sizes[i % sizes.length], BODY.length - at);
      byte[] piece = new byte[n];
      System.arraycopy(BODY, at, piece, 0, n);
      pieces.add(shape.apply(piece));
      at += n;
    }
    return pieces;
  }

  private static Map<String, byte[]> references() {
    HashValue128 xxh128 = Hashing.xxh3_128().hashBytesTo128Bits(BODY);
    return Map.of(
        "CRC32", crc(new CRC32(), 4),
        "CRC32C", crc(new CRC32C(), 4),
        "CRC64NVME", crc(new Crc64Nvme(), 8),
        "MD5", digest("MD5"),
        "SHA1", digest("SHA-1"),
        "SHA256", digest("SHA-256"),
        "SHA512", digest("SHA-512"),
        "XXHASH64", bigEndian(XXHashFactory.fastestJavaInstance().hash64()
            .hash(BODY, 0, BODY.length, 0L)),
        "XXHASH3", bigEndian(Hashing.xxh3_64().hashBytesToLong(BODY)),
        "XXHASH128", ByteBuffer.allocate(16).putLong(xxh128.getMostSignificantBits())
            .putLong(xxh128.getLeastSignificantBits()).array());
  }

  private static byte[] crc(Checksum crc, int length) {
    crc.update(BODY, 0, BODY.length);
    byte[] full = bigEndian(crc.getValue());
    byte[] b = new byte[length];
    System.arraycopy(full, 8 - length, b, 0, length);
    return b;
  }

  private static byte[] digest(String name) {
    try {
      return MessageDigest.getInstance(name).digest(BODY);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bigEndian(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  private static byte[] body(int length) {
    byte[] b = new byte[length];
    new Random(11).nextBytes(b);
    return b;
  }
}
