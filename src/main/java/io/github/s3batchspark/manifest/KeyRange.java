package io.github.s3batchspark.manifest;

import java.io.Serializable;

/**
 * One piece of a bucket's key space, listed by one Spark partition: the keys under
 * {@code prefix} that sort after {@code after} and not after {@code upTo}, in S3's order
 * ({@link KeyOrder}). The pieces of one listing never overlap and leave no gap, so every key is
 * listed exactly once whatever the boundaries are: they only decide how evenly work is shared.
 *
 * @param prefix    the listing's prefix ({@code ""} for the whole bucket)
 * @param delimited true to list only the objects directly under {@code prefix} (delimiter
 *                  {@code /}): its sub-prefixes are pieces of their own
 * @param after     the piece starts after this key ({@code StartAfter} / {@code KeyMarker}), or
 *                  null to start at the prefix's first key
 * @param upTo      the piece's last possible key, or null to run to the prefix's end
 */
public record KeyRange(String prefix, boolean delimited, String after, String upTo)
    implements Serializable {

  /** Every key under {@code prefix}, sub-prefixes included. */
  public static KeyRange whole(String prefix) {
    return new KeyRange(prefix, false, null, null);
  }

  /** The objects directly under {@code prefix}, not those of its sub-prefixes. */
  public static KeyRange direct(String prefix) {
    return new KeyRange(prefix, true, null, null);
  }

  /** Whether {@code key} (listed under the prefix, after {@code after}) is past this piece. */
  public boolean isPast(String key) {
    return upTo != null && KeyOrder.compare(key, upTo) > 0;
  }

  @Override
  public String toString() {
    return "'" + prefix + "'" + (delimited ? " (direct objects)" : "")
        + (after == null && upTo == null ? "" : " (" + (after == null ? "start" : after)
        + ", " + (upTo == null ? "end" : upTo) + "]");
  }
}
