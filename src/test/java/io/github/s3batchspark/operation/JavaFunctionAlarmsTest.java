package io.github.s3batchspark.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.execution.ExecutorClients;
import io.github.s3batchspark.execution.ObjectTask;
import io.github.s3batchspark.execution.TaskResult;
import io.github.s3batchspark.function.FunctionInput;
import io.github.s3batchspark.function.FunctionResult;
import io.github.s3batchspark.function.ObjectFunction;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.OperationRun;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JavaFunctionAlarmsTest {
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();

  public static final class Answers implements ObjectFunction {
    @Override
    public FunctionResult apply(FunctionInput in) {
      return FunctionResult.succeeded("seen " + in.key());
    }
  }

  /** A call's alarm (an hour by default) must not keep the call, its input and result alive. */
  @Test
  void finishedCallsLeaveNoAlarmQueued() {
    JavaFunction echo = new JavaFunction(Answers.class.getName(), null,
        JavaFunction.DEFAULT_TIMEOUT_SECONDS * 1000L, 4);
    ObjectTask[] tasks = IntStream.range(0, 300)
        .mapToObj(i -> new ObjectTask(i, "b", "k" + i, null, null, java.util.Map.of()))
        .toArray(ObjectTask[]::new);

    var results = OperationRun.run(echo, ExecutorClients.get(SERVER.clientSettings()), tasks);

    assertEquals(300, results.size());
    assertTrue(results.stream().allMatch(r -> TaskResult.SUCCEEDED.equals(r.taskStatus())),
        results.get(0).toString());
    assertEquals(0, JavaFunction.queuedAlarms());
  }
}
