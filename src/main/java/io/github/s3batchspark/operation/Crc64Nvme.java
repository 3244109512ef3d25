package io.github.s3batchspark.operation;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the CRC that S3 calls CRC64NVME (reflected polynomial 0x9A6C9329AC4BC9B5, initial
 * value and final XOR all ones; check value of "123456789" is 0xAE8B14860A799888). The SDK's own
 * implementation needs the native AWS CRT, which this application does not ship.
 */
final class Crc64Nvme implements Checksum {
  private static final long POLY = 0x9A6C9329AC4BC9B5L;
  private static final long[] TABLE = table();

  private long crc = -1L;

  @Override
  public void update(int b) {
    crc = TABLE[(int) ((crc ^ b) & 0xFF)] ^ (crc >>> 8);
  }

  @Override
  public void update(byte[] b, int off, int len) {
    long c = crc;
    for (int i = off; i < off + len; i++) {
      c = TABLE[(int) ((c ^ b[i]) & 0xFF)] ^ (c >>> 8);
    }
    crc = c;
  }

  @Override
  public long getValue() {
    return ~crc;
  }

  @Override
  public void reset() {
    crc = -1L;
  }

  private static long[] table() {
    long[] t = new long[256];
    for (int n = 0; n < 256; n++) {
      long c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
      }
      t[n] = c;
    }
    return t;
  }
}
