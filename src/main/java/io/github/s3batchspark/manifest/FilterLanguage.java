package io.github.s3batchspark.manifest;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@code ManifestFilter.Where} may say: the manifest's columns, literals, operators and
 * these deterministic scalar functions. It is a list of what is allowed, not of what is
 * forbidden: a function Spark adds in a later version stays refused until it is listed here.
 *
 * <p>Why each choice: a job spec is data, so nothing here may run code ({@code reflect}), read
 * files or settings, or depend on when or where a row is read ({@code rand},
 * {@code current_date}, {@code input_file_name}): a resumed or dry-run job must pick exactly the
 * tasks the real run picks. Regular expressions ({@code RLIKE}, {@code regexp_*}) are left out
 * because one pattern with nested repetition can keep a task busy for hours; {@code LIKE} covers
 * the usual cases with a bounded number of {@code %}. Functions whose result size a literal
 * chooses ({@code repeat}, {@code lpad}, {@code space}) are left out so that a filter cannot fill
 * an executor's memory.
 */
final class FilterLanguage {
  /** Longest filter text accepted. */
  static final int MAX_LENGTH = 10_000;
  /** Deepest expression accepted (parentheses, NOT NOT ..., a + a + ... all count). */
  static final int MAX_DEPTH = 100;
  /**
   * Most {@code %} in one LIKE pattern: each one can make Java's regex engine try every split of
   * the key, so a pattern with many of them costs a power of the key's length per row.
   */
  static final int MAX_LIKE_WILDCARDS = 3;

  /** Functions that answer a true/false condition (or may, like {@code if} and {@code coalesce}). */
  static final Set<String> CONDITION_FUNCTIONS = Set.of(
      "startswith", "endswith", "contains", "isnull", "isnotnull", "isnan",
      "if", "coalesce", "nullif", "nvl", "ifnull", "nvl2", "greatest", "least");

  /** Functions answering a value (a string, number or date) to compare. */
  static final Set<String> VALUE_FUNCTIONS = Set.of(
      // strings
      "lower", "lcase", "upper", "ucase", "initcap", "length", "char_length",
      "character_length", "octet_length", "bit_length", "substring", "substr", "left", "right",
      "concat", "concat_ws", "trim", "ltrim", "rtrim", "btrim", "replace", "translate", "instr",
      "locate", "position", "reverse", "split_part", "ascii",
      // dates and times (the session time zone is UTC)
      "to_date", "to_timestamp", "date_format", "year", "quarter", "month", "day",
      "dayofmonth", "dayofweek", "dayofyear", "weekday", "weekofyear", "hour", "minute",
      "second", "date_add", "date_sub", "datediff", "add_months", "months_between",
      "date_trunc", "trunc", "last_day", "make_date", "extract", "date_part",
      // numbers
      "abs", "round", "bround", "floor", "ceil", "ceiling", "pow", "power", "sqrt", "exp",
      "ln", "log", "log10", "log2", "mod", "pmod", "sign", "signum", "negative", "positive",
      // hashes (to take a stable sample: pmod(xxhash64(key), 100) < 5)
      "hash", "xxhash64", "crc32", "md5", "sha1", "sha2");

  /**
   * Arguments that must be literals, by position: date formats and field names are parsed into
   * a formatter, and Spark needs the scale of a rounding and the bits of sha2 up front.
   */
  static final Map<String, Set<Integer>> LITERAL_ARGUMENTS = Map.of(
      "to_date", Set.of(1), "to_timestamp", Set.of(1), "date_format", Set.of(1),
      "date_trunc", Set.of(0), "trunc", Set.of(1), "extract", Set.of(0),
      "date_part", Set.of(0), "round", Set.of(1), "bround", Set.of(1), "sha2", Set.of(1));

  /** Why well-known functions are refused, so that the message says more than "not allowed". */
  static final Map<String, String> REFUSED_BECAUSE = refusedBecause();

  private FilterLanguage() {}

  static boolean isAllowedFunction(String name) {
    return CONDITION_FUNCTIONS.contains(name) || VALUE_FUNCTIONS.contains(name);
  }

  /** The allowed functions, sorted, for messages and the README. */
  static String allowedFunctions() {
    Set<String> all = new TreeSet<>(CONDITION_FUNCTIONS);
    all.addAll(VALUE_FUNCTIONS);
    return String.join(", ", all);
  }

  private static Map<String, String> refusedBecause() {
    String code = "it runs Java code";
    String moving = "it is not deterministic: a resumed or dry run could pick other tasks";
    String where = "it depends on where the row was read";
    String generator = "it is a generator (one row in, many out)";
    String lambda = "it takes a lambda function";
    String error = "it raises errors on purpose";
    return Map.ofEntries(
        Map.entry("reflect", code), Map.entry("java_method", code),
        Map.entry("try_reflect", code),
        Map.entry("rand", moving), Map.entry("randn", moving), Map.entry("random", moving),
        Map.entry("uuid", moving), Map.entry("shuffle", moving), Map.entry("now", moving),
        Map.entry("current_date", moving), Map.entry("current_timestamp", moving),
        Map.entry("current_timezone", moving), Map.entry("localtimestamp", moving),
        Map.entry("curdate", moving), Map.entry("unix_timestamp", moving),
        Map.entry("current_user", moving), Map.entry("user", moving),
        Map.entry("session_user", moving), Map.entry("current_database", moving),
        Map.entry("current_catalog", moving), Map.entry("current_schema", moving),
        Map.entry("monotonically_increasing_id", moving),
        Map.entry("spark_partition_id", where), Map.entry("input_file_name", where),
        Map.entry("input_file_block_start", where),
        Map.entry("input_file_block_length", where),
        Map.entry("explode", generator), Map.entry("explode_outer", generator),
        Map.entry("posexplode", generator), Map.entry("posexplode_outer", generator),
        Map.entry("inline", generator), Map.entry("inline_outer", generator),
        Map.entry("stack", generator), Map.entry("json_tuple", generator),
        Map.entry("transform", lambda), Map.entry("filter", lambda),
        Map.entry("exists", lambda), Map.entry("forall", lambda),
        Map.entry("aggregate", lambda), Map.entry("reduce", lambda),
        Map.entry("zip_with", lambda), Map.entry("map_filter", lambda),
        Map.entry("assert_true", error), Map.entry("raise_error", error),
        Map.entry("rlike", "regular expressions can take unbounded time; use LIKE"),
        Map.entry("regexp", "regular expressions can take unbounded time; use LIKE"),
        Map.entry("regexp_like", "regular expressions can take unbounded time; use LIKE"),
        Map.entry("regexp_extract", "regular expressions can take unbounded time; use LIKE"),
        Map.entry("regexp_replace", "regular expressions can take unbounded time; use LIKE"),
        Map.entry("like", "use the LIKE operator, whose pattern is checked"),
        Map.entry("ilike", "use the ILIKE operator, whose pattern is checked"));
  }
}
