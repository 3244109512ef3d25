package io.github.s3batchspark.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3batchspark.testing.Canary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter language on its own: no SparkSession, no manifest, only the checker. */
class ManifestFilterCheckTest {
  private static final List<String> INVENTORY = List.of("bucket", "key", "version_id", "etag",
      "size", "last_modified_date", "storage_class", "is_latest");

  @Test
  void everyAllowedConstructIsAccepted() {
    List<String> allowed = List.of(
        "size > 1048576 AND storage_class = 'GLACIER'",
        "size >= 1 OR size <= 2 OR size < 3 OR size <> 4 OR size != 5 OR size <=> 6",
        "NOT (key = 'a')",
        "storage_class IN ('GLACIER', 'DEEP_ARCHIVE')",
        "storage_class NOT IN ('STANDARD')",
        "size BETWEEN 10 AND 20",
        "size NOT BETWEEN 10 AND 20",
        "key LIKE 'logs/%' AND key NOT LIKE '%.tmp'",
        "key ILIKE 'LOGS/%'",
        "version_id IS NULL AND etag IS NOT NULL",
        "CASE WHEN size > 10 THEN 'big' ELSE 'small' END = 'big'",
        "CAST(size AS STRING) = '10'",
        "TRY_CAST(key AS INT) > 3",
        "size + 1 - 2 * 3 / 4 > 0 AND size % 2 = 0 AND size div 2 = 1 AND -size < 0",
        "key || 'x' = 'ax'",
        "SUBSTRING(key FROM 1 FOR 4) = 'logs'",
        "TRIM(BOTH '/' FROM key) = 'a'",
        "POSITION('/' IN key) > 0",
        "lower(key) = 'a' AND upper(key) = 'A' AND length(key) < 1024",
        "startswith(key, 'logs/') AND endswith(key, '.gz') AND contains(key, 'x')",
        "concat(bucket, '/', key) = 'b/k' AND substring(key, 1, 2) = 'lo' AND trim(key) = key",
        "year(last_modified_date) = 2024 AND month(last_modified_date) < 6",
        "to_date(key, 'yyyy-MM-dd') = DATE '2024-01-01'",
        "datediff(DATE '2025-01-01', last_modified_date) > 30",
        "date_add(to_date(last_modified_date), 7) < DATE '2025-01-01'",
        "extract(YEAR FROM last_modified_date) = 2024",
        "abs(size) > 1 AND round(size / 1024, 1) > 2 AND floor(size) > 0 AND ceil(size) > 0",
        "pow(size, 2) > 100",
        "pmod(xxhash64(key), 100) < 5",
        "coalesce(version_id, 'null') = 'null'",
        "if(size > 1, true, false)",
        "is_latest",
        "IsLatest AND NOT is_latest",
        "true",
        "startswith(key, 'logs/')",
        "key = 'a' -- a comment",
        "key = 'a' /* a comment */");
    for (String where : allowed) {
      CheckedFilter checked = ManifestFilter.check(where, INVENTORY);
      assertFalse(checked.sql().isBlank(), where);
    }
  }

  @Test
  void inventoryColumnsMayBeWrittenAsTheInventoryFileNamesThem() {
    Map<String, String> spellings = Map.of(
        "ETag = 'x'", "(etag = 'x')",
        "e_tag = 'x'", "(etag = 'x')",
        "LastModifiedDate > DATE '2024-01-01'", "(last_modified_date > DATE '2024-01-01')",
        "last_modified_date > DATE '2024-01-01'", "(last_modified_date > DATE '2024-01-01')",
        "StorageClass = 'GLACIER'", "(storage_class = 'GLACIER')",
        "VersionId IS NULL", "(version_id IS NULL)",
        "KEY = 'k' AND Bucket = 'b'", "((key = 'k') AND (bucket = 'b'))");

    spellings.forEach((where, sql) ->
        assertEquals(sql, ManifestFilter.check(where, INVENTORY).sql(), where));
  }

  @Test
  void callsIntoJavaAreRefusedNamingTheFunctionAndNeverRun() {
    int before = Canary.calls();
    for (String where : Canary.attacks()) {
      String function = where.substring(0, where.indexOf('('));
      var e = assertThrows(ManifestFilterException.class,
          () -> ManifestFilter.check(where, INVENTORY));
      assertTrue(e.getMessage().contains("the function " + function + " is not allowed (it runs"
          + " Java code)"), e.getMessage());
      assertEquals("ManifestFilter.Where", e.field());
    }
    assertEquals(before, Canary.calls());
  }

  @Test
  void everyForbiddenFunctionIsRefusedByName() {
    List<String> functions = List.of("reflect('java.lang.System', 'getenv', 'HOME') = 'x'",
        "java_method('java.lang.System', 'getProperty', 'user.home') = 'x'",
        "try_reflect('java.lang.System', 'exit', 0) IS NULL",
        "rand() < 0.5", "randn() < 0.5", "uuid() = key", "now() > last_modified_date",
        "current_date() > last_modified_date", "current_timestamp() > last_modified_date",
        "monotonically_increasing_id() < 10", "spark_partition_id() = 0",
        "input_file_name() = 'x'", "explode(array(1)) IS NULL",
        "assert_true(size > 0) IS NULL", "raise_error('x') IS NULL",
        "exists(array(1), x -> x > 0)", "regexp_extract(key, '(a+)+$', 1) = 'a'",
        "unix_timestamp() > 0", "count(key) > 1", "my_udf(key)", "shuffle(array(key)) IS NULL",
        "repeat(key, 2147483647) = 'x'", "lpad(key, 2000000000, 'x') = 'x'");
    for (String where : functions) {
      String name = where.substring(0, where.indexOf('('));
      var e = assertThrows(ManifestFilterException.class,
          () -> ManifestFilter.check(where, INVENTORY), where);
      assertTrue(e.getMessage().contains("function " + name + " is not allowed"),
          e.getMessage());
      assertTrue(e.getMessage().contains("the allowed functions are abs, "), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  @Test
  void everyForbiddenConstructIsRefusedByName() {
    Map<String, String> constructs = Map.ofEntries(
        Map.entry("key IN (SELECT value FROM text.`/etc/passwd`)", "a subquery"),
        Map.entry("EXISTS (SELECT 1)", "a subquery (EXISTS)"),
        Map.entry("(SELECT max(key) FROM t) = key", "a subquery"),
        Map.entry("key RLIKE '(a+)+$'", "RLIKE"),
        Map.entry("*", "* (all columns)"),
        Map.entry("key = ?", "a parameter (?)"),
        Map.entry("key = :secret", "a parameter (:name)"),
        Map.entry("key = 'a' AS b", "AS (an alias)"),
        Map.entry("row_number() OVER (ORDER BY key) = 1", "a window (OVER ...)"),
        Map.entry("map('a', key)['a'] = 'x'", "field or element access"),
        Map.entry("key LIKE ANY ('a%', 'b%')", "LIKE ANY"),
        Map.entry("current_date > last_modified_date", "function current_date is not allowed"),
        Map.entry("a.b = 1", "the column a.b is not in the manifest"));
    constructs.forEach((where, named) -> {
      var e = assertThrows(ManifestFilterException.class,
          () -> ManifestFilter.check(where, INVENTORY), where);
      assertTrue(e.getMessage().contains(named), where + " -> " + e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    });
  }

  @Test
  void unknownColumnIsRefusedListingTheManifestColumns() {
    var e = assertThrows(ManifestFilterException.class,
        () -> ManifestFilter.check("storageclass = 'GLACIER'", INVENTORY));

    assertEquals("ManifestFilter.Where \"storageclass = 'GLACIER'\" cannot filter the manifest:"
        + " the column storageclass is not in the manifest (names are case-insensitive,"
        + " LastModifiedDate and last_modified_date both work). The manifest columns are"
        + " [bucket, key, version_id, etag, size, last_modified_date, storage_class, is_latest]",
        e.getMessage());
  }

  @Test
  void formatsAndPatternsMustBeLiteralsWithFewWildcards() {
    assertRefused("to_date(key, key) = DATE '2024-01-01'", "argument 2 of to_date must be a"
        + " literal");
    assertRefused("date_trunc(key, last_modified_date) IS NULL", "argument 1 of date_trunc");
    assertRefused("key LIKE bucket", "the pattern of LIKE must be a quoted string");
    assertRefused("key LIKE '%a%a%a%b'", "has 4 %; at most 3 are allowed");
    assertRefused("lower(DISTINCT key) = 'a'", "DISTINCT, FILTER or IGNORE NULLS");
  }

  @Test
  void filterThatIsNotAConditionOrDoesNotParseIsRefused() {
    assertRefused("size + 1", "it is not a true/false condition");
    assertRefused("upper(key)", "it is not a true/false condition");
    assertRefused("'text'", "it is not a true/false condition");
    assertRefused("size >> AND", "it does not parse: [PARSE_SYNTAX_ERROR]");
    assertRefused("99999999999999999999999999999999999999999 > 1", "it does not parse");
    assertRefused("   ", "it is empty");
  }

  @Test
  void tooLongOrTooDeepFiltersAreRefusedWithOneLineNeverAStackOverflow() {
    String deepNots = "NOT ".repeat(2400) + "is_latest";
    String longSum = "size" + " + size".repeat(1400) + " > 0";
    String deepBrackets = "(".repeat(4990) + "is_latest" + ")".repeat(4990);
    String deepMinus = "- ".repeat(4900) + "size > 0";
    String deepCalls = "lower(".repeat(1400) + "key" + ")".repeat(1400) + " = 'a'";
    for (String where : List.of(deepNots, longSum, deepBrackets, deepMinus, deepCalls)) {
      var e = assertThrows(ManifestFilterException.class,
          () -> ManifestFilter.check(where, INVENTORY));
      assertTrue(e.getMessage().contains("it is nested more than 100 deep"), e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
      assertTrue(e.getMessage().length() < 600, e.getMessage());
    }
    assertRefused("key = '" + "x".repeat(10_000) + "'", "it is 10008 characters long; at most"
        + " 10000 are allowed");
    // 100 deep is allowed, and a long flat condition is not deep
    ManifestFilter.check("(".repeat(98) + "is_latest" + ")".repeat(98), INVENTORY);
    ManifestFilter.check("size = 0" + " OR size = 1".repeat(700), INVENTORY);
  }

  @Test
  void refusalQuotesTheFilterOnOneLineWhateverItHolds() {
    var e = assertThrows(ManifestFilterException.class,
        () -> ManifestFilter.check("key = 'a'\nOR reflect('x', 'y') = '\u2028'", INVENTORY));

    assertTrue(e.getMessage().startsWith("ManifestFilter.Where \"key = 'a'\\u000aOR reflect("),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  private static void assertRefused(String where, String why) {
    var e = assertThrows(ManifestFilterException.class,
        () -> ManifestFilter.check(where, INVENTORY), where);
    assertTrue(e.getMessage().contains(why), where + " -> " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
