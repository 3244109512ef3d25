package io.github.s3batchspark.execution;

import java.io.Serializable;

/**
 * What a successful operation reports for one object: the HTTP status of the request that did
 * the work and the message that goes into the completion report's ResultMessage column.
 */
public record OperationResult(int httpStatusCode, String resultMessage) implements Serializable {

  public static OperationResult ok(String resultMessage) {
    return new OperationResult(200, resultMessage);
  }
}
