package io.github.s3batchspark.job;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * One page of ListJobs: at most MaxResults jobs, newest first, and the NextToken that gives the
 * page after it (null on the last page).
 *
 * <p>The token is opaque to callers; it names the last job of its page (its creation time and
 * id), so that the next page starts right after that job in the store's order even when jobs
 * were created or ended meanwhile: a page never repeats a job of an earlier page.
 *
 * @param jobs      the jobs of this page, in the store's order
 * @param nextToken the token of the next page, or null when there is none
 */
public record JobPage(List<JobRecord> jobs, String nextToken) {
  /** As Amazon: ListJobs returns at most 1,000 jobs a page when MaxResults is not given. */
  public static final int MAX_RESULTS = 1000;
  private static final String VERSION = "1";

  public JobPage {
    jobs = List.copyOf(jobs);
  }

  /**
   * The page of {@code listed} (newest first, as {@link JobStore#list} orders them) that starts
   * after {@code nextToken} (at the start when null) and holds at most {@code maxResults} jobs.
   *
   * @throws NextTokenException when the token is not one a page gave
   */
  public static JobPage of(List<JobRecord> listed, int maxResults, String nextToken) {
    if (maxResults < 0 || maxResults > MAX_RESULTS) {
      throw new IllegalArgumentException("MaxResults must be between 0 and " + MAX_RESULTS
          + ", got " + maxResults);
    }
    int start = nextToken == null ? 0 : startAfter(listed, nextToken);
    int end = Math.min(listed.size(), start + maxResults);
    List<JobRecord> page = listed.subList(start, end);
    String next = end < listed.size() && !page.isEmpty() ? tokenAfter(page.get(page.size() - 1))
        : null;
    return new JobPage(page, next);
  }

  private static String tokenAfter(JobRecord last) {
    String position = VERSION + "|" + last.creationTime() + "|" + last.jobId();
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  /** The index of the first job that the store's order puts after the token's job. */
  private static int startAfter(List<JobRecord> listed, String token) {
    String[] position = decode(token);
    Instant created;
    try {
      created = Instant.parse(position[1]);
    } catch (DateTimeParseException e) {
      throw new NextTokenException(token);
    }
    String jobId = position[2];
    for (int i = 0; i < listed.size(); i++) {
      JobRecord job = listed.get(i);
      int byTime = job.creationTime().compareTo(created);
      if (byTime < 0 || byTime == 0 && job.jobId().compareTo(jobId) > 0) {
        return i;
      }
    }
    return listed.size();
  }

  private static String[] decode(String token) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new NextTokenException(token);
    }
    String[] position = text.split("\\|", -1);
    if (position.length != 3 || !position[0].equals(VERSION)) {
      throw new NextTokenException(token);
    }
    return position;
  }
}
