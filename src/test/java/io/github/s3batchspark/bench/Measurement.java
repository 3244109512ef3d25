package io.github.s3batchspark.bench;

import java.util.Map;

/**
 * What one contender did: how many tasks it was given, how many objects show its work, and how
 * long it took. {@code error} is set when the contender could not run at all; {@code jobId}
 * names the project's job, so that what it left behind can be audited. {@code cpuSeconds} is the
 * CPU time this JVM spent while the contender ran (load server included, the same work for every
 * contender): on a shared machine, where wall-clock rates swing with other people's builds, CPU
 * per object is the steadier figure of what a contender costs. {@code serverCpuSeconds} is the
 * load server's part: for a contender in this JVM, what its threads spent (also in {@code
 * cpuSeconds}); for a contender that is a process of its own (rclone; every contender of the cold
 * run), which has its own CPU in {@code cpuSeconds}, the bench JVM's meanwhile.
 */
record Measurement(String contender, long tasks, long done, double seconds,
    Map<String, Long> server, String error, String jobId, double cpuSeconds,
    double serverCpuSeconds) {

  Measurement(String contender, long tasks, long done, double seconds, Map<String, Long> server,
      String error, String jobId, double cpuSeconds) {
    this(contender, tasks, done, seconds, server, error, jobId, cpuSeconds, 0);
  }

  Measurement(String contender, long tasks, long done, double seconds, Map<String, Long> server,
      String error) {
    this(contender, tasks, done, seconds, server, error, null);
  }

  Measurement(String contender, long tasks, long done, double seconds, Map<String, Long> server,
      String error, String jobId) {
    this(contender, tasks, done, seconds, server, error, jobId, 0);
  }

  Measurement withCpuSeconds(double cpuSeconds) {
    return new Measurement(contender, tasks, done, seconds, server, error, jobId, cpuSeconds,
        serverCpuSeconds);
  }

  Measurement withServerCpuSeconds(double serverCpuSeconds) {
    return new Measurement(contender, tasks, done, seconds, server, error, jobId, cpuSeconds,
        serverCpuSeconds);
  }

  /** CPU milliseconds per object done (0 when nothing was done). */
  double cpuMillisPerObject() {
    return done > 0 ? cpuSeconds * 1000 / done : 0;
  }

  /**
   * CPU milliseconds per object of a contender in this JVM without the load server's: what the
   * client side cost, comparable with a contender that is a process of its own.
   */
  double clientCpuMillisPerObject() {
    return done > 0 ? (cpuSeconds - serverCpuSeconds) * 1000 / done : 0;
  }

  /** The error of a contender left out on purpose ({@code --contenders}). */
  static final String SKIPPED = "not run (--contenders)";

  static Measurement failed(String contender, String error) {
    return new Measurement(contender, 0, 0, 0, Map.of(), error);
  }

  boolean skipped() {
    return SKIPPED.equals(error);
  }

  /** Faults the load server injected while this contender ran. */
  long injectedFaults() {
    return server.getOrDefault("fault.SlowDown", 0L) + server.getOrDefault("fault.InternalError", 0L)
        + server.getOrDefault("fault.reset", 0L);
  }

  boolean ran() {
    return error == null;
  }

  double perSecond() {
    return ran() && seconds > 0 ? done / seconds : 0;
  }
}
