package io.github.s3batchspark.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A stop signal that fires when a file exists: the driver creates it in the job's directory,
 * which every executor reaches (a local directory on one machine, HDFS or an object store on a
 * cluster). Spark has no channel from the driver to running tasks that leaves them their
 * results (cancelling a Spark job discards the output of every task it interrupts), so the
 * tasks look for the file themselves.
 *
 * <p>One look per file per executor JVM at most every {@link #CHECK_EVERY_NANOS}, shared by all
 * its tasks; once seen, the file is never looked for again.
 */
public final class FileStopSignal implements StopSignal {
  static final long CHECK_EVERY_NANOS = 1_000_000_000L;
  private static final Map<String, Look> LOOKS = new ConcurrentHashMap<>();

  private final String file;
  private final Broadcast<SerializableConfiguration> hadoopConf;

  /**
   * @param file       the file whose existence asks the tasks to stop
   * @param hadoopConf the driver's Hadoop settings, to reach the file from the executors
   */
  public FileStopSignal(String file, Broadcast<SerializableConfiguration> hadoopConf) {
    this.file = file;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public boolean stopRequested() {
    return LOOKS.computeIfAbsent(file, f -> new Look()).stopped(this);
  }

  private boolean exists() {
    try {
      Path path = new Path(file);
      return path.getFileSystem(hadoopConf.value().value()).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for the stop file " + file, e);
    }
  }

  /** What one executor JVM last saw of one stop file. */
  private static final class Look {
    private volatile boolean seen;
    private volatile long lastLook = System.nanoTime() - CHECK_EVERY_NANOS;

    boolean stopped(FileStopSignal signal) {
      if (seen || System.nanoTime() - lastLook < CHECK_EVERY_NANOS) {
        return seen;
      }
      synchronized (this) {
        if (!seen && System.nanoTime() - lastLook >= CHECK_EVERY_NANOS) {
          try {
            seen = signal.exists();
          } catch (UncheckedIOException e) {
            // The store did not answer this time: keep working and look again next second.
          } finally {
            lastLook = System.nanoTime();
          }
        }
        return seen;
      }
    }
  }
}
