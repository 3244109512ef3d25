package io.github.s3batchspark.function;

/**
 * Your own per-object work, run on the Spark executors next to the data, without Lambda's
 * 15-minute limit or per-call price. The job names the class in its
 * {@code Operation.JavaFunction.ClassName}; the jar travels with {@code spark-submit --jars}.
 *
 * <p>The class needs a public no-argument constructor. One instance per executor JVM is called
 * from many threads at once (the job's {@code Threads}), so keep it free of per-call state.
 * {@link #apply} may block (read the object, transform it, write the result); it runs on the
 * function's own threads, never on the threads that drive S3 requests. A call that outlasts
 * the job's {@code TimeoutSeconds} is interrupted and its task fails with FunctionTimeout.
 *
 * <p>Answer as a Batch Operations Lambda function would: {@link FunctionResult#succeeded},
 * {@link FunctionResult#temporaryFailure} (retried with backoff) or
 * {@link FunctionResult#permanentFailure}; the message goes into the completion report. An
 * exception fails the task with the exception's class and message (S3 errors are classified
 * and retried like any S3 request).
 */
@FunctionalInterface
public interface ObjectFunction {

  FunctionResult apply(FunctionInput input) throws Exception;
}
