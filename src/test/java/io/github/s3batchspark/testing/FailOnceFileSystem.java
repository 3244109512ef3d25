package io.github.s3batchspark.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

/**
 * The local file system under the scheme {@code failonce:}, on which the first file a Spark task
 * attempt writes under a path containing the system property {@code failonce.under} fails when
 * it is closed, once per JVM: the task has done all its work, and loses it, as a task whose disk
 * or network fails at its very end. Spark then runs the task again.
 */
public final class FailOnceFileSystem extends OutputWrappingFileSystem {
  private static final URI URI_ = URI.create("failonce:///");
  private static final AtomicBoolean FAILED = new AtomicBoolean();

  @Override
  public URI getUri() {
    return URI_;
  }

  @Override
  protected FSDataOutputStream wrap(Path f, FSDataOutputStream real)
      throws IOException {
    String under = System.getProperty("failonce.under");
    String path = f.toUri().getPath();
    if (under == null || !path.contains(under) || !path.contains("/_temporary/")
        || !path.endsWith(".parquet") || FAILED.get()) {
      return real;
    }
    return new FSDataOutputStream(new FilterOutputStream(real) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        real.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        real.close();
        if (FAILED.compareAndSet(false, true)) {
          throw new IOException("failonce: this task attempt's output is lost, as the test"
              + " asked (" + f + ")");
        }
      }
    }, null);
  }
}
