package io.github.s3batchspark.manifest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.Add;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.BitwiseAnd;
import org.apache.spark.sql.catalyst.expressions.BitwiseNot;
import org.apache.spark.sql.catalyst.expressions.BitwiseOr;
import org.apache.spark.sql.catalyst.expressions.BitwiseXor;
import org.apache.spark.sql.catalyst.expressions.CaseWhen;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.Concat;
import org.apache.spark.sql.catalyst.expressions.Divide;
import org.apache.spark.sql.catalyst.expressions.EqualNullSafe;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.ILike;
import org.apache.spark.sql.catalyst.expressions.In;
import org.apache.spark.sql.catalyst.expressions.IntegralDivide;
import org.apache.spark.sql.catalyst.expressions.IsNotNull;
import org.apache.spark.sql.catalyst.expressions.IsNull;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Like;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.Multiply;
import org.apache.spark.sql.catalyst.expressions.Not;
import org.apache.spark.sql.catalyst.expressions.Or;
import org.apache.spark.sql.catalyst.expressions.Remainder;
import org.apache.spark.sql.catalyst.expressions.StringLocate;
import org.apache.spark.sql.catalyst.expressions.StringTrim;
import org.apache.spark.sql.catalyst.expressions.StringTrimLeft;
import org.apache.spark.sql.catalyst.expressions.StringTrimRight;
import org.apache.spark.sql.catalyst.expressions.Substring;
import org.apache.spark.sql.catalyst.expressions.Subtract;
import org.apache.spark.sql.catalyst.expressions.UnaryMinus;
import org.apache.spark.sql.catalyst.expressions.UnaryPositive;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.StringType;
import scala.collection.JavaConverters;

/**
 * Checks one {@code ManifestFilter.Where} against the filter language ({@link FilterLanguage})
 * and a manifest's columns, before Spark sees it. In order: the length, the nesting of brackets
 * (counted on the text, so that a deep expression never reaches the parser's recursion), the
 * parse itself (Spark's own SQL parser, on a thread with a large stack, so that whatever depth
 * gets through is refused rather than overflowing), then every node of the parsed tree.
 */
final class FilterChecker {
  /** Enough for the parser to build any tree a 10,000-character text can describe. */
  private static final long PARSER_STACK_BYTES = 256L << 20;
  /** How much of the filter a refusal quotes. */
  private static final int QUOTED_CHARS = 200;

  /** The operators and constructs allowed besides columns, literals and functions. */
  private static final Set<Class<? extends Expression>> OPERATORS = Set.of(
      And.class, Or.class, Not.class,
      EqualTo.class, EqualNullSafe.class, LessThan.class, LessThanOrEqual.class,
      GreaterThan.class, GreaterThanOrEqual.class, In.class, IsNull.class, IsNotNull.class,
      Like.class, ILike.class, CaseWhen.class, Cast.class,
      Add.class, Subtract.class, Multiply.class, Divide.class, Remainder.class,
      IntegralDivide.class, UnaryMinus.class, UnaryPositive.class,
      BitwiseAnd.class, BitwiseOr.class, BitwiseXor.class, BitwiseNot.class,
      // what SQL syntax turns into directly: a || b, SUBSTRING(x FROM 1), TRIM(BOTH ...),
      // POSITION(a IN b)
      Concat.class, Substring.class, StringTrim.class, StringTrimLeft.class,
      StringTrimRight.class, StringLocate.class);

  /** Operators that answer true/false: a filter's top node must be one of them (or may be). */
  private static final Set<Class<? extends Expression>> CONDITIONS = Set.of(
      And.class, Or.class, Not.class,
      EqualTo.class, EqualNullSafe.class, LessThan.class, LessThanOrEqual.class,
      GreaterThan.class, GreaterThanOrEqual.class, In.class, IsNull.class, IsNotNull.class,
      Like.class, ILike.class, CaseWhen.class);

  /** Constructs Spark's grammar has and the filter language does not, in the user's words. */
  private static final Map<String, String> CONSTRUCTS = Map.ofEntries(
      Map.entry("RLike", "RLIKE (regular expressions can take unbounded time; use LIKE)"),
      Map.entry("InSubquery", "a subquery"), Map.entry("ListQuery", "a subquery"),
      Map.entry("Exists", "a subquery (EXISTS)"), Map.entry("ScalarSubquery", "a subquery"),
      Map.entry("LateralSubquery", "a subquery"),
      Map.entry("UnresolvedStar", "* (all columns)"),
      Map.entry("UnresolvedRegex", "a column regex"),
      Map.entry("LambdaFunction", "a lambda function (x -> ...)"),
      Map.entry("UnresolvedNamedLambdaVariable", "a lambda function (x -> ...)"),
      Map.entry("PosParameter", "a parameter (?)"),
      Map.entry("NamedParameter", "a parameter (:name)"),
      Map.entry("Alias", "AS (an alias)"),
      Map.entry("WindowExpression", "a window (OVER ...)"),
      Map.entry("UnresolvedWindowExpression", "a window (OVER ...)"),
      Map.entry("UnresolvedExtractValue", "field or element access (x.field, x[...])"),
      Map.entry("LikeAny", "LIKE ANY"), Map.entry("NotLikeAny", "NOT LIKE ANY"),
      Map.entry("LikeAll", "LIKE ALL"), Map.entry("NotLikeAll", "NOT LIKE ALL"));

  private final String where;
  private final List<String> columns;
  /** Each column by its canonical name, so that every spelling of it finds it. */
  private final Map<String, String> byCanonicalName = new HashMap<>();

  private FilterChecker(String where, Collection<String> columns) {
    this.where = where;
    this.columns = List.copyOf(columns);
    this.columns.forEach(c -> byCanonicalName.putIfAbsent(ManifestSchema.canonicalName(c), c));
  }

  static CheckedFilter check(String where, Collection<String> columns) {
    return new FilterChecker(where, columns).check();
  }

  private CheckedFilter check() {
    if (where == null || where.isBlank()) {
      throw refused("it is empty; leave out ManifestFilter to keep every row");
    }
    if (where.length() > FilterLanguage.MAX_LENGTH) {
      throw refused("it is " + where.length() + " characters long; at most "
          + FilterLanguage.MAX_LENGTH + " are allowed");
    }
    checkBrackets();
    Expression condition = checked(parse(), 1);
    if (!isCondition(condition)) {
      throw refused("it is not a true/false condition");
    }
    return new CheckedFilter(condition.sql(), condition);
  }

  /**
   * Refuses brackets nested deeper than the language allows, counting on the text (outside
   * strings, quoted names and comments) so that the parser never recurses that deep.
   */
  private void checkBrackets() {
    int depth = 0;
    int i = 0;
    int n = where.length();
    while (i < n) {
      char c = where.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = afterQuoted(i, c);
        continue;
      }
      if (c == '-' && i + 1 < n && where.charAt(i + 1) == '-') {
        int end = where.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
        continue;
      }
      if (c == '/' && i + 1 < n && where.charAt(i + 1) == '*') {
        int end = where.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (c == '(' || c == '[') {
        depth++;
        if (depth > FilterLanguage.MAX_DEPTH) {
          throw tooDeep();
        }
      } else if ((c == ')' || c == ']') && depth > 0) {
        depth--;
      }
      i++;
    }
  }

  /** The index after a quoted string or name opened at {@code start} (backslash escapes). */
  private int afterQuoted(int start, char quote) {
    int i = start + 1;
    while (i < where.length()) {
      char c = where.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }

  /**
   * Spark's parser (no session: no variable substitution, no catalog) on a thread of its own
   * with a large stack: {@code NOT NOT NOT ...} or {@code a+a+a+...} nest without brackets, and
   * an overflow there is a refusal like any other, not a crash of the caller's thread.
   */
  private Expression parse() {
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread parser = new Thread(null, () -> {
      try {
        outcome.set(CatalystSqlParser$.MODULE$.parseExpression(where));
      } catch (Throwable t) { // NOPMD: handed back to the caller's thread below
        outcome.set(t);
      }
    }, "manifest-filter-parser", PARSER_STACK_BYTES);
    parser.setDaemon(true);
    parser.start();
    try {
      parser.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refused("checking it was interrupted");
    }
    Object result = outcome.get();
    if (result instanceof Expression expression) {
      return expression;
    }
    if (result instanceof StackOverflowError) {
      throw tooDeep();
    }
    if (result instanceof Error e) {
      throw e;
    }
    // Spark's ParseException is checked; numbers out of range fail with arithmetic exceptions
    throw refused("it does not parse: " + firstLine(((Throwable) result).getMessage()));
  }

  /** The node, checked, with its columns renamed to the canonical names; refuses the rest. */
  private Expression checked(Expression node, int depth) {
    if (depth > FilterLanguage.MAX_DEPTH) {
      throw tooDeep();
    }
    if (node instanceof UnresolvedAttribute attribute) {
      return column(attribute);
    }
    if (node instanceof Literal) {
      return node;
    }
    if (node instanceof UnresolvedFunction function) {
      checkFunction(function);
    } else if (!OPERATORS.contains(node.getClass())) {
      String name = node.getClass().getSimpleName();
      throw refused(CONSTRUCTS.getOrDefault(name, name) + " is not allowed in a filter;"
          + " use columns, literals, comparisons, AND/OR/NOT, IN, BETWEEN, LIKE, IS NULL,"
          + " CASE, CAST, arithmetic and the functions " + FilterLanguage.allowedFunctions());
    }
    if (node instanceof Like like) {
      checkPattern("LIKE", like.right());
    } else if (node instanceof ILike ilike) {
      checkPattern("ILIKE", ilike.right());
    }
    List<Expression> children = new ArrayList<>();
    for (Expression child : JavaConverters.seqAsJavaList(node.children())) {
      children.add(checked(child, depth + 1));
    }
    return children.isEmpty() ? node
        : node.withNewChildren(JavaConverters.asScalaBuffer(children).toSeq());
  }

  private Expression column(UnresolvedAttribute attribute) {
    List<String> parts = JavaConverters.seqAsJavaList(attribute.nameParts());
    if (parts.size() == 1) {
      String canonical = ManifestSchema.canonicalName(parts.get(0));
      if (byCanonicalName.containsKey(canonical)) {
        return UnresolvedAttribute.quoted(byCanonicalName.get(canonical));
      }
      String asFunction = parts.get(0).toLowerCase(Locale.ROOT);
      if (FilterLanguage.REFUSED_BECAUSE.containsKey(asFunction)) {
        throw refusedFunction(asFunction);
      }
    }
    throw refused("the column " + attribute.name() + " is not in the manifest (names are"
        + " case-insensitive, LastModifiedDate and last_modified_date both work). The manifest"
        + " columns are " + columns);
  }

  private void checkFunction(UnresolvedFunction function) {
    List<String> parts = JavaConverters.seqAsJavaList(function.nameParts());
    String name = String.join(".", parts).toLowerCase(Locale.ROOT);
    if (parts.size() != 1 || !FilterLanguage.isAllowedFunction(name)) {
      throw refusedFunction(name);
    }
    if (function.isDistinct() || function.filter().isDefined() || function.ignoreNulls()) {
      throw refused("the function " + name + " is called with DISTINCT, FILTER or IGNORE"
          + " NULLS, which only aggregates take");
    }
    List<Expression> arguments = JavaConverters.seqAsJavaList(function.arguments());
    for (int index : FilterLanguage.LITERAL_ARGUMENTS.getOrDefault(name, Set.of())) {
      if (index < arguments.size() && !(arguments.get(index) instanceof Literal)) {
        throw refused("argument " + (index + 1) + " of " + name + " must be a literal (a"
            + " quoted format or field name, or a number), not " + arguments.get(index).sql());
      }
    }
  }

  private void checkPattern(String operator, Expression pattern) {
    if (!(pattern instanceof Literal literal) || !(literal.dataType() instanceof StringType)) {
      throw refused("the pattern of " + operator + " must be a quoted string, not "
          + pattern.sql());
    }
    String text = literal.value().toString();
    long wildcards = text.chars().filter(c -> c == '%').count();
    if (wildcards > FilterLanguage.MAX_LIKE_WILDCARDS) {
      throw refused("the " + operator + " pattern '" + text + "' has " + wildcards
          + " %; at most " + FilterLanguage.MAX_LIKE_WILDCARDS + " are allowed, since each"
          + " one multiplies the work per key");
    }
  }

  /** Whether the top node answers true/false, as far as the unresolved tree tells. */
  private static boolean isCondition(Expression node) {
    if (CONDITIONS.contains(node.getClass()) || node instanceof UnresolvedAttribute) {
      return true; // a column may be boolean (is_latest); Spark's analysis decides
    }
    if (node instanceof Literal literal) {
      return literal.dataType() instanceof BooleanType || literal.dataType() instanceof NullType;
    }
    if (node instanceof Cast cast) {
      return cast.dataType() instanceof BooleanType;
    }
    if (node instanceof UnresolvedFunction function) {
      String name = String.join(".", JavaConverters.seqAsJavaList(function.nameParts()));
      return FilterLanguage.CONDITION_FUNCTIONS.contains(name.toLowerCase(Locale.ROOT));
    }
    return false;
  }

  private ManifestFilterException refusedFunction(String name) {
    String because = FilterLanguage.REFUSED_BECAUSE.get(name);
    return refused("the function " + name + " is not allowed"
        + (because == null ? "" : " (" + because + ")") + "; the allowed functions are "
        + FilterLanguage.allowedFunctions());
  }

  private ManifestFilterException tooDeep() {
    return refused("it is nested more than " + FilterLanguage.MAX_DEPTH + " deep; write it"
        + " flatter (IN (...) instead of many OR, fewer parentheses)");
  }

  ManifestFilterException refused(String why) {
    return refused(where, why);
  }

  /** One line: the filter quoted (shortened, control characters escaped) and why. */
  static ManifestFilterException refused(String where, String why) {
    String quoted = where == null ? "" : where.length() <= QUOTED_CHARS ? where
        : where.substring(0, QUOTED_CHARS) + "... (" + where.length() + " characters)";
    return new ManifestFilterException(oneLine(ManifestFilterException.FIELD + " \"" + quoted
        + "\" cannot filter the manifest: " + why));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String stripped = message.strip();
    int newline = stripped.indexOf('\n');
    String line = newline < 0 ? stripped : stripped.substring(0, newline);
    return line.length() <= 2 * QUOTED_CHARS ? line : line.substring(0, 2 * QUOTED_CHARS) + "...";
  }

  /** Control characters and line separators as {@code \\uXXXX}: a refusal is one line. */
  private static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
