package io.github.s3batchspark.operation;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * One checksum of the S3ComputeObjectChecksum algorithms, fed buffer by buffer as the object
 * streams in, so that no object is ever held in memory. The value is the big-endian bytes that
 * S3 shows base64-encoded (for XXHASH128, the canonical high-then-low 64-bit halves).
 */
abstract class StreamingChecksum {
  static final List<String> ALGORITHMS = List.of("CRC32", "CRC32C", "CRC64NVME", "MD5", "SHA1",
      "SHA256", "SHA512", "XXHASH64", "XXHASH3", "XXHASH128");

  abstract void update(ByteBuffer data);

  abstract byte[] value();

  static StreamingChecksum of(String algorithm) {
    return switch (algorithm) {
      case "CRC32" -> new Crc(new CRC32(), 4);
      case "CRC32C" -> new Crc(new CRC32C(), 4);
      case "CRC64NVME" -> new Crc(new Crc64Nvme(), 8);
      case "MD5" -> new Digest("MD5");
      case "SHA1" -> new Digest("SHA-1");
      case "SHA256" -> new Digest("SHA-256");
      case "SHA512" -> new Digest("SHA-512");
      case "XXHASH64" -> new XxHash64();
      case "XXHASH3" -> new XxHash3();
      case "XXHASH128" -> new XxHash128();
      default -> throw new IllegalArgumentException("unknown checksum algorithm " + algorithm
          + "; one of " + ALGORITHMS);
    };
  }

  /**
   * A hash that takes arrays, fed without moving the buffer. The SDK hands over heap buffers:
   * their backing array is hashed in place, never copied (copying every buffer into a new array
   * cost a tenth of the checksum job's CPU). Other buffers (direct, read-only) go through a
   * scratch array, a piece at a time; it is allocated when the first such buffer comes.
   */
  private abstract static class OverArrays extends StreamingChecksum {
    private static final int SCRATCH = 8 * 1024;
    private byte[] scratch;

    abstract void update(byte[] b, int off, int len);

    @Override
    final void update(ByteBuffer data) {
      if (data.hasArray()) {
        update(data.array(), data.arrayOffset() + data.position(), data.remaining());
        return;
      }
      if (scratch == null) {
        scratch = new byte[SCRATCH];
      }
      ByteBuffer rest = data.duplicate();
      while (rest.hasRemaining()) {
        int n = Math.min(scratch.length, rest.remaining());
        rest.get(scratch, 0, n);
        update(scratch, 0, n);
      }
    }
  }

  private static byte[] bigEndian(long value, int length) {
    byte[] b = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      b[i] = (byte) value;
      value >>>= 8;
    }
    return b;
  }

  private static final class Crc extends StreamingChecksum {
    private final Checksum crc;
    private final int length;

    Crc(Checksum crc, int length) {
      this.crc = crc;
      this.length = length;
    }

    /** A heap buffer's array in place; CRC32 and CRC32C read any other buffer natively. */
    @Override
    void update(ByteBuffer data) {
      if (data.hasArray()) {
        crc.update(data.array(), data.arrayOffset() + data.position(), data.remaining());
      } else {
        crc.update(data.duplicate());
      }
    }

    @Override
    byte[] value() {
      return bigEndian(crc.getValue(), length);
    }
  }

  private static final class Digest extends StreamingChecksum {
    private final MessageDigest digest;

    Digest(String name) {
      try {
        this.digest = MessageDigest.getInstance(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has " + name, e);
      }
    }

    @Override
    void update(ByteBuffer data) {
      digest.update(data.duplicate());
    }

    @Override
    byte[] value() {
      return digest.digest();
    }
  }

  private static final class XxHash64 extends OverArrays {
    private final StreamingXXHash64 hash = XXHashFactory.fastestJavaInstance()
        .newStreamingHash64(0L);

    @Override
    void update(byte[] b, int off, int len) {
      hash.update(b, off, len);
    }

    @Override
    byte[] value() {
      return bigEndian(hash.getValue(), 8);
    }
  }

  private static final class XxHash3 extends OverArrays {
    private final HashStream64 hash = Hashing.xxh3_64().hashStream();

    @Override
    void update(byte[] b, int off, int len) {
      hash.putBytes(b, off, len);
    }

    @Override
    byte[] value() {
      return bigEndian(hash.getAsLong(), 8);
    }
  }

  private static final class XxHash128 extends OverArrays {
    private final HashStream128 hash = Hashing.xxh3_128().hashStream();

    @Override
    void update(byte[] b, int off, int len) {
      hash.putBytes(b, off, len);
    }

    @Override
    byte[] value() {
      HashValue128 v = hash.get();
      byte[] b = new byte[16];
      System.arraycopy(bigEndian(v.getMostSignificantBits(), 8), 0, b, 0, 8);
      System.arraycopy(bigEndian(v.getLeastSignificantBits(), 8), 0, b, 8, 8);
      return b;
    }
  }
}
