package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ExecutorClientsTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();

  /** An executor makes millions of calls: one that ended must leave nothing behind. */
  @Test
  void finishedCallsLeaveNoTimeoutQueued() {
    String bucket = Buckets.create(SERVER.client(), "timeouts");
    ExecutorClients clients = ExecutorClients.get(SERVER.clientSettings());
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(clients.s3().headBucket(b -> b.bucket(bucket)));
    }
    calls.forEach(CompletableFuture::join);

    assertEquals(0, queuedAfterTheSdkHasCancelledThem(clients));
  }

  /**
   * The SDK cancels a call's timeout in a stage of its own that depends on the call, and a join
   * may return before that stage has run (both depend on the same future, in no set order): a
   * finished call's timeout leaves the queue a moment after the call ends, not at that instant.
   * What matters is that it leaves: the SDK's own scheduler would keep all 300 queued for the
   * call timeout's 30 minutes, so waiting a few seconds tells the two apart.
   */
  private static int queuedAfterTheSdkHasCancelledThem(ExecutorClients clients) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (clients.queuedCallTimeouts() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return clients.queuedCallTimeouts();
  }
}
