package io.github.s3batchspark.job;

/** More tags than a job may have (PutJobTagging's TooManyTagsException). */
public final class TooManyTagsException extends IllegalArgumentException implements Refusal {
  public TooManyTagsException(int given) {
    super("Tags: a job may have at most " + JobTags.MAX_TAGS + " tags, got " + given
        + ": remove some");
  }
}
