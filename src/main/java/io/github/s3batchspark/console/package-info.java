/**
 * The web console that {@code s3batch serve} answers under {@code /console/}: the job list, a
 * job's page (live progress, failures grouped by error code from its report table, the
 * completion report opened through the console), creating a job from pasted JSON, and confirm,
 * cancel and priority buttons, by the same job-layer calls as the command line.
 *
 * <p>Who gets in: the one-time token printed at start buys a session cookie ({@link
 * io.github.s3batchspark.console.ConsoleSessions}); every change is a POST carrying the
 * session's CSRF token. The pages are static files whose script builds every element from JSON
 * with {@code textContent}, so that object keys, result messages and descriptions (user data)
 * are shown as text, never markup. It depends on {@code job}, {@code report}'s column names,
 * {@code execution}'s client settings (to read reports from S3) and {@code api}'s server (to
 * share its port), never the reverse; it needs no Spark.
 */
package io.github.s3batchspark.console;
