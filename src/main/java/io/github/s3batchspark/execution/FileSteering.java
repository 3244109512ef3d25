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
 * the file themselves. Its lines, each optional, in any order:
 * <ul>
 *   <li>{@code share 0.75}: the fraction of {@link RunnerSettings#inFlight()} each of the run's
 *   partitions may keep in flight;
 *   <li>{@code starts 1200.0}: the objects per second the run's partitions in one executor JVM
 *   may start together (the driver divides the run's cap among the executors that run its
 *   tasks); each partition running in the JVM takes an equal part of it;
 *   <li>{@code stop <why>}: start no more objects.
 * </ul>
 * A line missing from the file means the whole window, no cap on starts, no stop; so does no
 * file before the first read (a file that goes later is being replaced, or the run is over:
 * what was read last holds).
 * Lines this version does not know are skipped, so that an older executor reads a newer file.
 *
 * <p>One read per file per executor JVM at most every {@link #READ_EVERY_NANOS}, shared by all
 * its tasks; once a stop is seen, the file is not read again.
 */
public final class FileSteering implements Steering {
  static final long READ_EVERY_NANOS = 1_000_000_000L;
  /**
   * How long a partition that stopped asking still takes its part of the cap: a Spark task
   * killed mid-way never says it ended, so it drops out once it has been silent this long.
   */
  static final long SILENT_PARTITION_NANOS = 5_000_000_000L;
  private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

  private final String file;
  private final Broadcast<SerializableConfiguration> hadoopConf;
  private transient Seen local;
  /** When this copy (one partition) last asked; read by the JVM's other partitions. */
  private transient volatile long askedNanos;

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

  @Override
  public double startsPerSecond() {
    Seen seen = seen();
    double perJvm = seen.startsPerJvm;
    return perJvm == Double.POSITIVE_INFINITY ? perJvm : perJvm / Math.max(1, seen.partitions);
  }

  @Override
  public void partitionEnded() {
    Seen mine = local;
    if (mine != null) {
      mine.running.remove(this);
      mine.partitions = Math.max(1, mine.running.size());
    }
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
      askedNanos = System.nanoTime();
      mine.running.add(this);
      mine.partitions = mine.running.size();
    }
    long now = System.nanoTime(); // after the lookup: a new view must read the file at once
    if (now - askedNanos > SILENT_PARTITION_NANOS) {
      mine.running.add(this); // dropped as silent while it waited on slow requests: back again
    }
    askedNanos = now;
    return mine.refreshed(this, now);
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
    private volatile double startsPerJvm = Double.POSITIVE_INFINITY;
    /** The run's partitions in this JVM (copies of the steering), and how many ran lately. */
    private final java.util.Set<FileSteering> running = ConcurrentHashMap.newKeySet();
    private volatile int partitions = 1;
    private volatile long lastRead = System.nanoTime() - READ_EVERY_NANOS;

    Seen refreshed(FileSteering steering, long now) {
      if (stop || now - lastRead < READ_EVERY_NANOS) {
        return this;
      }
      synchronized (this) {
        if (!stop && System.nanoTime() - lastRead >= READ_EVERY_NANOS) {
          countPartitions(now);
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

    private void countPartitions(long now) {
      running.removeIf(copy -> now - copy.askedNanos > SILENT_PARTITION_NANOS);
      partitions = Math.max(1, running.size());
    }

    /**
     * Takes what the file says; a line missing from a whole file sets its default back. No file
     * changes nothing: it is either not written yet or being replaced (or the run is over).
     */
    private void apply(String text) {
      if (text == null) {
        return;
      }
      double newShare = 1.0;
      double newStarts = Double.POSITIVE_INFINITY;
      for (String line : text.split("\n")) {
        if (line.startsWith("stop")) {
          stop = true;
        } else if (line.startsWith("share ")) {
          newShare = number(line, share);
        } else if (line.startsWith("starts ")) {
          newStarts = number(line, startsPerJvm);
        }
      }
      share = Math.max(0.0, newShare);
      startsPerJvm = newStarts > 0 ? newStarts : Double.POSITIVE_INFINITY;
    }

    /** The number after a line's word, or {@code otherwise} (what holds now) when not one. */
    private static double number(String line, double otherwise) {
      try {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      } catch (NumberFormatException e) {
        return otherwise; // half a line of a file being replaced: the next read has it whole
      }
    }
  }
}
