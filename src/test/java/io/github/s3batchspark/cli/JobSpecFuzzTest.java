package io.github.s3batchspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.testing.Buckets;
import io.github.s3batchspark.testing.Canary;
import io.github.s3batchspark.testing.CsvJobJson;
import io.github.s3batchspark.testing.LocalS3Server;
import io.github.s3batchspark.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Generated filters and job JSONs, mutated from a valid job, thrown at create-job and
 * run --dry-run: each is accepted (exit 0) or refused (exit 2, one line on stderr), none
 * prints a stack trace, none calls the canary, none that was refused is recorded. Seeded and of
 * a fixed size, so that a failure is reproduced by running the test again.
 */
class JobSpecFuzzTest {
  private static final long SEED = 20261203L;
  private static final int FILTERS = 200;
  private static final int JOBS = 150;
  /**
   * Accepted cases dry-run too, which runs Spark over the 3-row manifest (seconds each): the
   * 1st, 11th, 21st ... accepted, this many, keep the test well under a minute. Every refused
   * case dry-runs, which costs no Spark job.
   */
  private static final int ACCEPTED_DRY_RUNS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Writes odd characters (an unpaired surrogate) as JSON escapes, as a client could send. */
  private static final ObjectWriter ESCAPING =
      JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
  private static final LocalS3Server SERVER = LocalS3Server.s3mock();
  private static final S3Client S3 = SERVER.client();
  private static String bucket;
  private static String manifestEtag;

  @TempDir Path dir;

  private final Random random = new Random(SEED);

  @BeforeAll
  static void manifest() {
    LocalSpark.session();
    bucket = Buckets.create(S3, "fuzz");
    for (String key : List.of("logs/a.gz", "img/b.png", "logs/c.txt")) {
      Buckets.put(S3, bucket, key, key);
    }
    manifestEtag = Buckets.put(S3, bucket, "manifest.csv",
        bucket + ",logs/a.gz\n" + bucket + ",img/b.png\n" + bucket + ",logs/c.txt\n").replace("\"", "");
  }

  @Test
  void generatedFiltersAndJobsAreAcceptedOrRefusedInOneLineAndNeverRunCode() throws Exception {
    int calls = Canary.calls();
    Set<String> created = new HashSet<>();
    int accepted = 0;
    int dryRuns = 0;
    List<String> cases = new ArrayList<>();
    for (int i = 0; i < FILTERS; i++) {
      cases.add(withFilter(filter(0)));
    }
    for (int i = 0; i < JOBS; i++) {
      cases.add(mutatedJob());
    }
    for (String job : cases) {
      CliOutcome create = s3batch("create-job", "--cli-input-json", job);
      assertAcceptedOrRefusedInOneLine(create, job);
      if (create.code() == 0) {
        created.add(JSON.readTree(create.out()).get("JobId").asText());
        accepted++;
      }
      if (create.code() == 2 || accepted % 10 == 1 && dryRuns < ACCEPTED_DRY_RUNS) {
        dryRuns += create.code() == 0 ? 1 : 0;
        CliOutcome dry = s3batch("run", "--dry-run", "--cli-input-json", job);
        assertAcceptedOrRefusedInOneLine(dry, job);
        if (create.code() == 2 && isFilterRefusal(create)) {
          assertEquals(2, dry.code(), "a filter refused at create-job is refused by the dry run: "
              + job + "\n" + dry.err());
        }
      }
    }
    assertEquals(calls, Canary.calls(), "no filter called the canary");
    Set<String> listed = new HashSet<>();
    s3batch("list-jobs").json().get("Jobs").forEach(j -> listed.add(j.get("JobId").asText()));
    assertEquals(created, listed, "only the accepted jobs are recorded");
    assertTrue(accepted > 0 && accepted < cases.size(), "both kinds were generated: " + accepted);
  }

  private static boolean isFilterRefusal(CliOutcome o) {
    return o.err().startsWith("s3batch: ManifestFilter.Where ")
        && !o.err().contains("is not in the manifest");
  }

  private static void assertAcceptedOrRefusedInOneLine(CliOutcome o, String job) {
    String context = "job " + job + "\nexit " + o.code() + "\nstderr " + o.err();
    assertTrue(o.code() == 0 || o.code() == 2, context);
    assertFalse(o.err().contains("\tat ") || o.err().contains("Exception in"), context);
    if (o.code() == 2) {
      assertEquals(1, o.err().strip().lines().count(), context);
      assertTrue(o.err().startsWith("s3batch: "), context);
    }
  }

  // ---- filters -------------------------------------------------------------------------------

  private static final List<String> COLUMNS = List.of("key", "bucket", "Key", "BUCKET",
      "`key`", "size", "etag", "version_id", "nope", "current_date", "a.b");
  private static final List<String> ALLOWED_FUNCTIONS = List.of("lower", "upper", "length",
      "trim", "reverse", "startswith", "endswith", "contains", "concat", "substring", "abs",
      "coalesce", "xxhash64", "md5", "initcap");
  private static final List<String> FORBIDDEN = List.of(
      "reflect('" + Canary.class.getName() + "', 'sing', key)",
      "java_method('" + Canary.class.getName() + "', 'sing', key)",
      "try_reflect('" + Canary.class.getName() + "', 'sing', key)",
      "reflect('java.lang.System', 'getenv', 'AWS_SECRET_ACCESS_KEY')",
      "rand()", "uuid()", "current_date()", "now()", "input_file_name()",
      "monotonically_increasing_id()", "spark_partition_id()", "explode(array(key))",
      "transform(array(key), x -> x)", "assert_true(false)", "raise_error('boom')",
      "(SELECT value FROM text.`/etc/passwd`)", "*", "?", ":secret", "my_udf(key)",
      "regexp_extract(key, '(a+)+$', 1)", "key RLIKE '(a+)+$'", "repeat(key, 2147483647)");
  private static final List<String> LITERALS = List.of("'logs/'", "'a%'", "'\\uD800'",
      "'\uD800'", "'é'", "'\u0000'", "'\u2028'", "''''", "1", "-1", "0", "2147483648",
      "99999999999999999999999999999999999999999", "1e400", "1.5", "NULL", "true",
      "DATE '2024-01-01'", "X'0A'", "'%'", "'%a%b%c%d'");

  /** A random filter: mostly well-formed, with forbidden pieces, deep nesting and typos. */
  private String filter(int depth) {
    int kind = random.nextInt(depth > 3 ? 4 : 12);
    return switch (kind) {
      case 0, 1 -> pick(COLUMNS) + " " + pick(List.of("=", "<>", "<", ">=", "LIKE", "ILIKE"))
          + " " + pick(LITERALS);
      case 2 -> pick(COLUMNS) + " IS " + (random.nextBoolean() ? "NOT " : "") + "NULL";
      case 3 -> pick(ALLOWED_FUNCTIONS) + "(" + pick(COLUMNS) + ") = " + pick(LITERALS);
      case 4 -> "(" + filter(depth + 1) + ") " + pick(List.of("AND", "OR")) + " "
          + filter(depth + 1);
      case 5 -> "NOT (" + filter(depth + 1) + ")";
      case 6 -> pick(FORBIDDEN) + " = " + pick(LITERALS);
      case 7 -> filter(depth + 1) + " AND " + pick(FORBIDDEN) + " IS NOT NULL";
      case 8 -> deep();
      case 9 -> typo(filter(depth + 1));
      case 10 -> pick(COLUMNS) + " IN (" + pick(LITERALS) + ", " + pick(LITERALS) + ")";
      default -> "CASE WHEN " + filter(depth + 1) + " THEN true ELSE false END";
    };
  }

  private String deep() {
    int n = 50 + random.nextInt(5000);
    return switch (random.nextInt(5)) {
      case 0 -> "(".repeat(n) + "key = 'a'" + ")".repeat(n);
      case 1 -> "NOT ".repeat(n) + "key = 'a'";
      case 2 -> "length(key)" + " + 1".repeat(n) + " > 0";
      case 3 -> "(".repeat(n);
      default -> "lower(".repeat(n / 2) + "key" + ")".repeat(n / 2) + " = 'a'";
    };
  }

  private String typo(String text) {
    if (text.isEmpty()) {
      return "(";
    }
    int at = random.nextInt(text.length());
    return switch (random.nextInt(3)) {
      case 0 -> text.substring(0, at);
      case 1 -> text.substring(0, at) + pick(List.of("(", "'", "`", "\"", ";", "\n", "--", "/*",
          "\uD800", "\uFFFF", "${spark.app.name}")) + text.substring(at);
      default -> text.substring(0, at) + text.substring(at + 1);
    };
  }

  private String withFilter(String where) throws Exception {
    ObjectNode job = baseJob();
    job.putObject("ManifestFilter").put("Where", where);
    return write(ESCAPING.writeValueAsString(job));
  }

  // ---- job JSONs -----------------------------------------------------------------------------

  private String mutatedJob() throws Exception {
    ObjectNode job = baseJob();
    if (random.nextInt(4) == 0) {
      job.putObject("ManifestFilter").put("Where", filter(2));
    }
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      mutate(job);
    }
    String text = ESCAPING.writeValueAsString(job);
    return write(switch (random.nextInt(6)) {
      case 0 -> text.substring(0, random.nextInt(text.length())); // truncated
      case 1 -> text.replaceFirst("\"Priority\"", "\"Priority\": 1, \"Priority\"");
      case 2 -> text.replace("\"batch\"", "\"b\\uD800tch\"");
      default -> text;
    });
  }

  private void mutate(ObjectNode job) {
    List<ObjectNode> objects = new ArrayList<>();
    collectObjects(job, objects);
    ObjectNode target = pick(objects);
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    String name = names.isEmpty() ? "Extra" : pick(names);
    switch (random.nextInt(5)) {
      case 0 -> target.remove(name);
      case 1 -> target.set(name, oddValue());
      case 2 -> target.set(pick(List.of("Extra", "Wh\u00e9re", "\uD800", "", "Where")),
          oddValue());
      case 3 -> target.put(name, pick(List.of("", " ", "\uD800", "\u0000", "é".repeat(5000),
          "arn:aws:s3:::", "Report_CSV_20180820", "-1", "NaN")));
      default -> target.put(name, pick(List.of(Long.MAX_VALUE, -1L, 0L, 2147483648L)));
    }
  }

  private JsonNode oddValue() {
    return switch (random.nextInt(7)) {
      case 0 -> JSON.getNodeFactory().numberNode(new java.math.BigDecimal("1e400"));
      case 1 -> JSON.getNodeFactory().numberNode(
          new java.math.BigInteger("123456789012345678901234567890"));
      case 2 -> JSON.getNodeFactory().nullNode();
      case 3 -> JSON.getNodeFactory().booleanNode(true);
      case 4 -> JSON.createArrayNode().add("x").add(1);
      case 5 -> deepArray(200 + random.nextInt(800));
      default -> JSON.createObjectNode().put("Where", "reflect('java.lang.System', 'exit', 1)");
    };
  }

  private static ArrayNode deepArray(int depth) {
    ArrayNode root = JSON.createArrayNode();
    ArrayNode current = root;
    for (int i = 0; i < depth; i++) {
      current = current.addArray();
    }
    return root;
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode object) {
      into.add(object);
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collectObjects(it.next(), into);
    }
  }

  private static ObjectNode baseJob() throws Exception {
    return (ObjectNode) JSON.readTree(CsvJobJson.of(
        "{\"S3PutObjectTagging\": {\"TagSet\": [{\"Key\": \"k\", \"Value\": \"v\"}]}}",
        bucket, manifestEtag, "fuzz"));
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private String write(String json) throws Exception {
    Path file = Files.createTempFile(dir, "job", ".json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return "file://" + file;
  }


  private CliOutcome s3batch(String... args) {
    return CliOutcome.run(dir.resolve("store"), SERVER.endpoint(), args);
  }
}
