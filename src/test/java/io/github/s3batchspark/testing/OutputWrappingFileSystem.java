package io.github.s3batchspark.testing;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system with every file it creates handed to {@link #wrap}, so that a test's
 * file system can make writes fail the way a real disk or network does.
 */
public abstract class OutputWrappingFileSystem extends RawLocalFileSystem {

  /** The stream the caller writes {@code f} through; {@code real} writes the local file. */
  protected abstract FSDataOutputStream wrap(Path f, FSDataOutputStream real) throws IOException;

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication,
      long blockSize, Progressable progress) throws IOException {
    return wrap(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress)
      throws IOException {
    return wrap(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize,
        progress));
  }
}
