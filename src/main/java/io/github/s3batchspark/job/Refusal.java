package io.github.s3batchspark.job;

/**
 * Marks an exception that refuses a request as given: a job spec, a command line, a job id or a
 * change of status that the tool will not act on. Nothing was recorded or changed when one is
 * thrown, so the command line exits 2 on it (and 1 on anything else: a job or store that failed).
 *
 * <p>An interface rather than a base class, so that each refusal keeps the Java type its callers
 * already catch ({@link JobSpecException} is an {@code IllegalArgumentException}, a refused move
 * of status an {@code IllegalStateException}).
 */
public interface Refusal {
}
