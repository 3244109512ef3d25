package io.github.s3batchspark.manifest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A checked ORC or Parquet data file copied to the executor's local disk. Those formats are read
 * from their footer backwards, so their readers need a seekable file; a local copy of the pinned
 * bytes gives them one while memory stays bounded (the copy streams to disk) and the rows come
 * from exactly the bytes whose MD5 was verified, which a read through s3a could not promise. The
 * copy lives in the executor JVM's temporary directory (a YARN container's own directory on a
 * cluster) and is deleted when closed.
 */
final class LocalCopy implements Closeable {
  private final Path path;

  private LocalCopy(Path path) {
    this.path = path;
  }

  /** Copies {@code in} (closed here) to a new local file. */
  static LocalCopy of(CheckedDataFile file, InputStream in) {
    Path path = null;
    try (in) {
      path = Files.createTempFile("s3batch-inventory-", ".data");
      Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
      return new LocalCopy(path);
    } catch (IOException e) {
      deleteQuietly(path);
      throw new ManifestException("Inventory data file " + file.uri() + " could not be copied"
          + " to local disk to be read: " + ManifestException.oneLine(e.getMessage())
          + "; check the executors' free temporary space", e);
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    deleteQuietly(path);
  }

  private static void deleteQuietly(Path path) {
    try {
      if (path != null) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      path.toFile().deleteOnExit(); // a temporary file: the JVM's exit removes it
    }
  }
}
