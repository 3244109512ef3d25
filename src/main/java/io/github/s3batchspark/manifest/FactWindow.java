package io.github.s3batchspark.manifest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The candidates of a partition that pass the filter members a listing cannot answer, learnt
 * with a HEAD (and GetObjectTagging when a replication rule filters on tags) per candidate, up to
 * {@code inFlight} of them at once on the executor's shared async client. Answers arrive in any
 * order; the manifest's order does not matter (task ids are assigned after).
 *
 * <p>An object deleted since it was listed (404) is left out, as a later listing would. Throttling
 * and server errors are retried a few times with backoff; any other failure stops the manifest,
 * naming the object: a manifest that silently left objects out would be worse.
 */
final class FactWindow implements Iterator<FactWindow.Checked> {
  static final int ATTEMPTS = 4;

  /** A candidate that passed, with what was learnt of it. */
  record Checked(ListedObject object, ObjectFacts facts) {}

  private record Answer(ListedObject object, ObjectFacts facts, Throwable failure) {}

  private final S3AsyncClient s3;
  private final String bucket;
  private final String expectedOwner;
  private final GeneratorFilter filter;
  private final Iterator<ListedObject> candidates;
  private final int inFlight;
  private final boolean head;
  private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final ArrayDeque<Checked> passed = new ArrayDeque<>();
  private int running;

  FactWindow(S3AsyncClient s3, String bucket, String expectedOwner, GeneratorFilter filter,
      Iterator<ListedObject> candidates, int inFlight) {
    this(s3, bucket, expectedOwner, filter, candidates, inFlight, filter.needsHead());
  }

  /** A window that takes a HEAD of every candidate when {@code head}, whatever the filter asks. */
  FactWindow(S3AsyncClient s3, String bucket, String expectedOwner, GeneratorFilter filter,
      Iterator<ListedObject> candidates, int inFlight, boolean head) {
    this.head = head || filter.needsHead();
    this.s3 = s3;
    this.bucket = bucket;
    this.expectedOwner = expectedOwner;
    this.filter = filter;
    this.candidates = candidates;
    this.inFlight = inFlight;
  }

  @Override
  public boolean hasNext() {
    try {
      while (passed.isEmpty()) {
        while (running < inFlight && candidates.hasNext()) {
          start(candidates.next());
        }
        if (running == 0) {
          return false;
        }
        take(answers.take());
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for HEAD requests", e);
    }
  }

  @Override
  public Checked next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return passed.poll();
  }

  private void start(ListedObject object) {
    running++;
    facts(object, 1).whenComplete((facts, failure) ->
        answers.add(new Answer(object, facts, failure)));
  }

  private void take(Answer answer) {
    running--;
    if (answer.failure() != null) {
      S3Exception e = s3Exception(answer.failure());
      if (e != null && e.statusCode() == 404) {
        return; // deleted since it was listed
      }
      throw new ManifestException((filter.needsHead() || filter.needsTags()
          ? "ManifestGenerator: the filter needs" : "The inventory's fields need") + " a HEAD of s3://"
          + bucket + "/" + answer.object().key() + ", which failed (" + describe(answer.failure())
          + "); check that the job's role (for generate-inventory: you) may read the bucket's"
          + " objects (s3:GetObject"
          + (filter.needsTags() ? ", s3:GetObjectTagging" : "") + ")", answer.failure());
    }
    if (answer.facts() != null && filter.factsMatch(answer.object(), answer.facts())) {
      passed.add(new Checked(answer.object(), answer.facts()));
    }
  }

  private CompletableFuture<ObjectFacts> facts(ListedObject object, int attempt) {
    CompletableFuture<ObjectFacts> facts = head ? head(object)
        : CompletableFuture.completedFuture(ObjectFacts.UNKNOWN);
    if (filter.needsTags()) {
      facts = facts.thenCompose(f -> tags(object).thenApply(f::withTags));
    }
    return facts.handle((f, failure) -> failure == null ? CompletableFuture.completedFuture(f)
        : retried(object, attempt, failure)).thenCompose(f -> f);
  }

  private CompletableFuture<ObjectFacts> retried(ListedObject object, int attempt,
      Throwable failure) {
    S3Exception e = s3Exception(failure);
    boolean retryable = e == null || e.statusCode() == 503 || e.statusCode() >= 500;
    if (!retryable || attempt >= ATTEMPTS) {
      return CompletableFuture.failedFuture(failure);
    }
    long backoff = Duration.ofMillis(50L << attempt).toMillis();
    return CompletableFuture.supplyAsync(() -> null,
            CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS))
        .thenCompose(ignored -> facts(object, attempt + 1));
  }

  private CompletableFuture<ObjectFacts> head(ListedObject object) {
    return s3.headObject(b -> b.bucket(bucket).key(object.key()).versionId(object.versionId())
            .expectedBucketOwner(expectedOwner))
        .handle((head, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(ObjectFacts.of(head));
          }
          S3Exception e = s3Exception(failure);
          if (e != null && e.statusCode() == 400) {
            return CompletableFuture.completedFuture(ObjectFacts.customerKey());
          }
          return CompletableFuture.<ObjectFacts>failedFuture(failure);
        }).thenCompose(f -> f);
  }

  private CompletableFuture<Map<String, String>> tags(ListedObject object) {
    return s3.getObjectTagging(b -> b.bucket(bucket).key(object.key())
            .versionId(object.versionId()).expectedBucketOwner(expectedOwner))
        .thenApply(r -> r.tagSet().stream().collect(Collectors.toMap(Tag::key, Tag::value,
            (a, b) -> b)));
  }

  private static S3Exception s3Exception(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof S3Exception e ? e : null;
  }

  private static String describe(Throwable failure) {
    S3Exception e = s3Exception(failure);
    if (e != null) {
      return "HTTP " + e.statusCode() + (e.awsErrorDetails() == null
          || e.awsErrorDetails().errorCode() == null ? "" : " " + e.awsErrorDetails().errorCode());
    }
    Throwable t = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return t.toString();
  }
}
