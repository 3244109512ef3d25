package io.github.s3batchspark.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory S3 endpoint on 127.0.0.1 built to measure, not to check behaviour: it answers the
 * requests the measured operations send (objects, tagging, copies, multipart part copies,
 * listings for setup) with S3's XML, adds a latency to every answer without holding a thread,
 * injects faults, and enforces S3's per-prefix request rate (see {@link LoadSettings}).
 *
 * <p>Objects seeded with {@link #seed} exist without being stored, so millions of tasks fit in
 * memory; their ETags are stable but are not MD5s of their content. Listings show only stored
 * objects. Correctness tests use real servers ({@code testing.LocalS3Server}); this one exists
 * for load.
 */
public final class LoadS3Server implements AutoCloseable {
  /** What the server's threads are named after, so that their CPU can be told apart. */
  private static final String THREAD_NAME = "load-s3-server";
  private final ObjectStore store = new ObjectStore();
  private final PrefixRateLimit rateLimit = new PrefixRateLimit();
  private final LoadStats stats = new LoadStats();
  private final AtomicBoolean bugReported = new AtomicBoolean();
  private final EventLoopGroup group;
  private final Channel channel;
  private volatile LoadSettings settings;

  private LoadS3Server(int threads, LoadSettings settings) {
    this.settings = settings;
    this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory(THREAD_NAME));
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(),
                new HttpObjectAggregator(256 * 1024 * 1024),
                new ChunkedWriteHandler(),
                new S3RequestHandler(LoadS3Server.this));
          }
        });
    this.channel = bootstrap.bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  /** Starts a server on a free port of 127.0.0.1, answering on {@code threads} event loops. */
  public static LoadS3Server start(int threads, LoadSettings settings) {
    return new LoadS3Server(threads, settings);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /**
   * CPU time the server's threads have spent so far: what a contender running in this JVM
   * spent on the server's side of its requests, to be told apart from its own.
   */
  long cpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(THREAD_NAME + "-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  LoadSettings settings() {
    return settings;
  }

  /** Changes latency, faults or limits for the requests that arrive from now on. */
  void settings(LoadSettings settings) {
    this.settings = settings;
  }

  ObjectStore store() {
    return store;
  }

  LoadStats stats() {
    return stats;
  }

  PrefixRateLimit rateLimit() {
    return rateLimit;
  }

  /** Declares {@code count} objects of {@code size} bytes in {@code bucket} (see VirtualObjects). */
  VirtualObjects seed(String bucket, String base, int prefixes, int count, long size) {
    return store.seed(bucket, base, prefixes, count, size);
  }

  VirtualObjects seed(VirtualObjects range) {
    return store.seed(range);
  }

  /** Stores an object directly (no request, no latency), returning its ETag. */
  String putObject(String bucket, String key, byte[] body) {
    String etag = ObjectStore.md5Etag(body);
    store.put(store.createBucket(bucket), key, ObjectContent.stored(body), etag, null);
    return etag;
  }

  void createBucket(String bucket) {
    store.createBucket(bucket);
  }

  /** A bug of this server must not pass for a fault it injected: say it once, loudly. */
  void reportBug(S3Request request, RuntimeException bug) {
    if (bugReported.compareAndSet(false, true)) {
      System.err.println("load server failed on " + request.action + " " + request.http.uri());
      bug.printStackTrace();
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
