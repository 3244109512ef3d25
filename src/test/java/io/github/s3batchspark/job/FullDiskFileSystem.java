package io.github.s3batchspark.job;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import io.github.s3batchspark.testing.OutputWrappingFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The local file system under the scheme {@code fulldisk:}, whose disk fills up: a file written
 * under a path that contains {@link #fullUnder} gets half its bytes, then "No space left on
 * device", as a real full disk fails a write half-way.
 */
public final class FullDiskFileSystem extends OutputWrappingFileSystem {
  private static final URI URI_ = URI.create("fulldisk:///");
  /** A part of a path such as {@code /tokens/}, or null while the disk has room. */
  static volatile String fullUnder;

  /** A Hadoop configuration that opens {@code fulldisk:} paths with this class, uncached. */
  static Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("fs.fulldisk.impl", FullDiskFileSystem.class.getName());
    conf.setBoolean("fs.fulldisk.impl.disable.cache", true);
    return conf;
  }

  @Override
  public URI getUri() {
    return URI_;
  }

  @Override
  protected FSDataOutputStream wrap(Path f, FSDataOutputStream real)
      throws IOException {
    String full = fullUnder;
    if (full == null || !f.toUri().getPath().contains(full)) {
      return real;
    }
    OutputStream halfThenFull = new FilterOutputStream(real) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        real.write(b, off, len / 2);
        throw new IOException("No space left on device");
      }

      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }
    };
    return new FSDataOutputStream(halfThenFull, null);
  }
}
