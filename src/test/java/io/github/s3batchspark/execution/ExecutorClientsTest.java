package io.github.s3batchspark.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.LocalS3Server;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    assertEquals(0, clients.queuedCallTimeouts());
  }
}
