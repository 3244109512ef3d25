package io.github.s3batchspark.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Contender (c) of the cold run: the bare async client in a fresh JVM, started, run and ended
 * as a user's program would be, so that its wall time and CPU include the JVM's start, class
 * loading and the JIT's first work, as the project's cold job's do. The bench counts its work
 * in the load server's store; this prints only what went wrong.
 *
 * <pre>
 *   ColdBareClient ENDPOINT WORKLOAD OBJECT_SIZE WINDOW BUCKET KEYS_FILE LABEL TIME_LIMIT_S
 * </pre>
 *
 * <p>Exits 0 when every request succeeded before the time limit, 1 otherwise, 2 on bad
 * arguments.
 */
public final class ColdBareClient {
  private ColdBareClient() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println("cold bare client: expected ENDPOINT WORKLOAD OBJECT_SIZE WINDOW BUCKET"
          + " KEYS_FILE LABEL TIME_LIMIT_S, got " + args.length + " arguments");
      System.exit(2);
    }
    Workload workload = Workload.named(args[1], Integer.parseInt(args[2]));
    List<String> keys = Files.readAllLines(Path.of(args[5]));
    BareAsyncClient.Pass pass = new BareAsyncClient(args[0], Integer.parseInt(args[3]))
        .pass(workload, args[4], keys::get, keys.size(), args[6],
            Duration.ofSeconds(Long.parseLong(args[7])));
    int exit = 0;
    if (pass == null || !pass.drained()) {
      System.err.println("cold bare client: requests still in flight at the time limit");
      exit = 1;
    } else if (pass.failed() > 0) {
      System.err.println("cold bare client: " + pass.failed() + " of " + pass.issued()
          + " requests failed");
      exit = 1;
    }
    // The SDK's Netty threads would keep the JVM up a while after the last answer.
    System.exit(exit);
  }
}
