package io.github.s3batchspark.execution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Steering read from a small file the driver writes in the job's directory, which every
 * executor reaches (a local directory on one machine, HDFS or an object store on a cluster).
 * Spark has no channel from the driver to running tasks that leaves them their results
 * (cancelling a Spark job discards the output of every task it interrupts), so the tasks read
 * the file themselves. Its lines: {@code share 0.75} (the run's share of the requests in flight)
 * and {@code stop <why>}; no file means the whole window and no stop.
 *
 * <p>One read per file per executor JVM at most every {@link #READ_EVERY_NANOS}, shared by all
 * its tasks; once a stop is seen, the file is not read again.
 */
public final class FileSteering implements Steering {
  static final long READ_EVERY_NANOS = 1_000_000_000L;
  private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

  private final String file;
  private final Broadcast<SerializableConfiguration> hadoopConf;
  private transient Seen local;

  /**
   * @param file       the file the driver writes
   * @param hadoopConf the driver's Hadoop settings, to reach the file from the executors
   */
  public FileSteering(String file, Broadcast<SerializableConfiguration> hadoopConf) {
    this.file = file;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public boolean stopRequested() {
    return seen().stop;
  }

  @Override
  public double inFlightShare() {
    return seen().share;
  }

  /**
   * This JVM's view of the file, looked up once per deserialised copy (one per partition): the
   * task runner asks before every object, so the shared map is not searched on that path.
   */
  private Seen seen() {
    Seen mine = local;
    if (mine == null) {
      mine = SEEN.computeIfAbsent(file, f -> new Seen());
      local = mine;
    }
    return mine.refreshed(this);
  }

  /** What the file says: {@code null} when there is no file. */
  private String read() {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf.value().value());
      if (!fs.exists(path)) {
        return null;
      }
      try (InputStream in = fs.open(path)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (java.io.FileNotFoundException e) {
      return null; // replaced between the two calls: read it next time
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the steering file " + file, e);
    }
  }

  /** What one executor JVM last read of one steering file. */
  private static final class Seen {
    private volatile boolean stop;
    private volatile double share = 1.0;
    private volatile long lastRead = System.nanoTime() - READ_EVERY_NANOS;

    Seen refreshed(FileSteering steering) {
      if (stop || System.nanoTime() - lastRead < READ_EVERY_NANOS) {
        return this;
      }
      synchronized (this) {
        if (!stop && System.nanoTime() - lastRead >= READ_EVERY_NANOS) {
          try {
            apply(steering.read());
          } catch (UncheckedIOException e) {
            // The store did not answer this time: keep working and read again next second.
          } finally {
            lastRead = System.nanoTime();
          }
        }
        return this;
      }
    }

    private void apply(String text) {
      if (text == null) {
        return;
      }
      for (String line : text.split("\n")) {
        if (line.startsWith("stop")) {
          stop = true;
        } else if (line.startsWith("share ")) {
          try {
            share = Math.max(0.0, Double.parseDouble(line.substring(6).trim()));
          } catch (NumberFormatException e) {
            // half a line of a file being replaced: the next read has it whole
          }
        }
      }
    }
  }
}
