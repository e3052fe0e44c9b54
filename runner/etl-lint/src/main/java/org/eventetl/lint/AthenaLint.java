package org.eventetl.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Query;

import org.eventetl.render.RenderedStep;
import org.eventetl.render.Statements;
import org.eventetl.storage.Location;

import static java.util.Objects.requireNonNull;

/**
 * Athena's SQL, checked without Athena. Its queries are Trino's grammar (engine version 3 is
 * Trino), so they go through Trino's own parser; two statements are not Trino grammar and get a
 * structural check here instead:
 * <ul>
 * <li>{@code UNLOAD (query) TO 'location' WITH (…)}: the query parsed by Trino's parser; the location
 *     exactly the step's own {@code {{target}}} (Athena writes only into an empty location, and the
 *     step's target is the prefix the runner cleared and proved empty); known properties only
 *     ({@code format}, {@code compression}, {@code compression_level}, {@code field_delimiter},
 *     {@code partitioned_by}), a known format;
 * <li>{@code CREATE EXTERNAL TABLE} (Hive DDL): a plain name, columns of known Hive types,
 *     {@code PARTITIONED BY}, {@code ROW FORMAT} / {@code STORED AS}, a quoted {@code LOCATION} that
 *     is a dataset root under the output or the source root, and {@code TBLPROPERTIES} whose
 *     partition projection covers every partition column and whose
 *     {@code storage.location.template} lies under the location and names them all.
 * </ul>
 * Names, types and functions are only checked when a real load runs.
 */
final class AthenaLint
        implements EngineLint
{
    static final String UNLOAD_TO = "UNLOAD … TO";

    private static final Set<String> UNLOAD_PROPERTIES = Set.of("format", "compression", "compression_level", "field_delimiter", "partitioned_by");
    private static final Set<String> FORMATS = Set.of("PARQUET", "ORC", "AVRO", "JSON", "TEXTFILE");
    private static final Set<String> STORAGE_FORMATS = Set.of("TEXTFILE", "PARQUET", "ORC", "AVRO", "SEQUENCEFILE", "RCFILE", "ION");
    private static final Set<String> TYPES = Set.of("string", "varchar", "char", "boolean", "tinyint", "smallint", "int", "integer", "bigint",
            "float", "double", "decimal", "date", "timestamp", "binary");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern PROJECTION_COLUMN = Pattern.compile("projection\\.([^.]+)\\..+");

    private final SqlParser parser = new SqlParser();
    private final Location sourceRoot;

    AthenaLint(LintFixture fixture)
    {
        this.sourceRoot = requireNonNull(fixture, "fixture is null").sourceRoot();
    }

    @Override
    public List<WriteTarget> writeTargets(String statement)
    {
        Tokens tokens = Tokens.of(statement);
        if (!tokens.word(0, "UNLOAD")) {
            return List.of();
        }
        int to = tokens.afterParentheses(1);
        if (to < 0 || !tokens.word(to, "TO")) {
            return List.of(new WriteTarget(UNLOAD_TO, Optional.empty(), 0));
        }
        if (tokens.kind(to + 1) != Kind.STRING) {
            return List.of(new WriteTarget(UNLOAD_TO, Optional.empty(), tokens.offset(to + 1)));
        }
        return List.of(new WriteTarget(UNLOAD_TO, Optional.of(tokens.string(to + 1)), tokens.offset(to + 1)));
    }

    @Override
    public StepCheck check(RenderedStep step, WriteTargets writeTargets)
    {
        List<StepCheck.Problem> problems = new ArrayList<>();
        List<String> statements = step.statements();
        for (int index = 0; index < statements.size(); index++) {
            String statement = statements.get(index);
            Tokens tokens = Tokens.of(statement);
            Problems found = new Problems(index, problems);
            if (tokens.word(0, "UNLOAD")) {
                unload(statement, tokens, step, writeTargets, found);
            }
            else if (tokens.word(0, "CREATE") && tokens.word(1, "EXTERNAL")) {
                externalTable(tokens, writeTargets, found);
            }
            else {
                parse(statement, 0, "", found);
            }
        }
        return new StepCheck(problems, problems.isEmpty());
    }

    @Override
    public void close()
    {
    }

    private void parse(String sql, int offset, String what, Problems found)
    {
        try {
            parser.createStatement(sql);
        }
        catch (ParsingException e) {
            found.add(offset + LineMap.offsetOf(sql, e.getLineNumber(), e.getColumnNumber()), "Trino's parser rejects the " + what + "statement: " + e.getErrorMessage());
        }
    }

    /** {@code UNLOAD (query) TO 'location' WITH (name = value, …)}. */
    private void unload(String statement, Tokens tokens, RenderedStep step, WriteTargets writeTargets, Problems found)
    {
        if (!tokens.symbol(1, "(")) {
            found.add(tokens.offset(1), "UNLOAD needs its query in parentheses: UNLOAD (SELECT …) TO '…' WITH (…)");
            return;
        }
        int close = tokens.closing(1);
        if (close < 0) {
            found.add(tokens.offset(1), "UNLOAD's query has no closing parenthesis");
            return;
        }
        int queryStart = tokens.offset(1) + 1;
        String query = statement.substring(queryStart, tokens.offset(close));
        try {
            if (!(parser.createStatement(query) instanceof Query)) {
                found.add(queryStart, "UNLOAD takes a query (SELECT, WITH …, VALUES), not another statement");
            }
        }
        catch (ParsingException e) {
            found.add(queryStart + LineMap.offsetOf(query, e.getLineNumber(), e.getColumnNumber()), "Trino's parser rejects UNLOAD's query: " + e.getErrorMessage());
        }

        int to = close + 1;
        if (!tokens.word(to, "TO") || tokens.kind(to + 1) != Kind.STRING) {
            found.add(tokens.offset(to), "UNLOAD's query must be followed by TO '<location>'");
            return;
        }
        String location = tokens.string(to + 1);
        String target = step.target().map(prefix -> prefix.prefix()).orElse(null);
        if (target == null) {
            found.add(tokens.offset(to + 1), "UNLOAD in a step without a target: only a step's own cleared {{target}} is empty, as Athena needs it");
        }
        else if (!location.equals(target)) {
            found.add(tokens.offset(to + 1), "UNLOAD writes to " + writeTargets.shown(location) + ": it must be the step's whole {{target}}, with its trailing /"
                    + " (Athena writes only into an empty location, and the runner clears and checks only that one before the step)");
        }

        int with = to + 2;
        if (!tokens.word(with, "WITH") || !tokens.symbol(with + 1, "(")) {
            found.add(tokens.offset(with), "UNLOAD needs WITH (format = '…'): Athena's default is gzipped text, not what readers of the outputs expect");
            return;
        }
        int end = tokens.closing(with + 1);
        if (end < 0) {
            found.add(tokens.offset(with + 1), "UNLOAD's WITH has no closing parenthesis");
            return;
        }
        Map<String, Integer> properties = new LinkedHashMap<>();
        int at = with + 2;
        while (at < end) {
            if (tokens.kind(at) != Kind.WORD || !tokens.symbol(at + 1, "=")) {
                found.add(tokens.offset(at), "UNLOAD's WITH takes name = value pairs");
                return;
            }
            String name = tokens.text(at).toLowerCase(Locale.ROOT);
            if (!UNLOAD_PROPERTIES.contains(name)) {
                found.add(tokens.offset(at), "unknown UNLOAD property '" + tokens.text(at) + "'; Athena knows " + String.join(", ", sorted(UNLOAD_PROPERTIES)));
            }
            if (properties.put(name, at + 2) != null) {
                found.add(tokens.offset(at), "UNLOAD property '" + name + "' is given twice");
            }
            int next = tokens.endOfValue(at + 2, end);
            if (name.equals("format") && (tokens.kind(at + 2) != Kind.STRING || !FORMATS.contains(tokens.string(at + 2).toUpperCase(Locale.ROOT)))) {
                found.add(tokens.offset(at + 2), "UNLOAD format must be one of " + String.join(", ", sorted(FORMATS)) + " as a string");
            }
            if (next < end && !tokens.symbol(next, ",")) {
                found.add(tokens.offset(next), "a comma must separate UNLOAD's properties");
                return;
            }
            at = next + 1;
        }
        if (!properties.containsKey("format")) {
            found.add(tokens.offset(with), "UNLOAD needs WITH (format = '…'): Athena's default is gzipped text, not what readers of the outputs expect");
        }
        if (end + 1 < tokens.size()) {
            found.add(tokens.offset(end + 1), "unexpected text after UNLOAD's WITH (…)");
        }
    }

    /**
     * {@code CREATE EXTERNAL TABLE [IF NOT EXISTS] name (columns) [PARTITIONED BY (columns)]
     * [ROW FORMAT …] [STORED AS format] LOCATION '…' [TBLPROPERTIES (…)]}.
     */
    private void externalTable(Tokens tokens, WriteTargets writeTargets, Problems found)
    {
        int at = 2;
        if (!tokens.word(at, "TABLE")) {
            found.add(tokens.offset(at), "expected CREATE EXTERNAL TABLE");
            return;
        }
        at++;
        if (tokens.word(at, "IF")) {
            if (!tokens.word(at + 1, "NOT") || !tokens.word(at + 2, "EXISTS")) {
                found.add(tokens.offset(at), "expected IF NOT EXISTS");
                return;
            }
            at += 3;
        }
        at = name(tokens, at, found);
        if (at < 0) {
            return;
        }
        List<String> columns = new ArrayList<>();
        at = columns(tokens, at, "columns", columns, found);
        if (at < 0) {
            return;
        }
        if (tokens.word(at, "COMMENT") && tokens.kind(at + 1) == Kind.STRING) {
            at += 2;
        }
        List<String> partitionColumns = new ArrayList<>();
        if (tokens.word(at, "PARTITIONED")) {
            if (!tokens.word(at + 1, "BY")) {
                found.add(tokens.offset(at + 1), "expected PARTITIONED BY");
                return;
            }
            int open = at + 2;
            at = columns(tokens, open, "partition columns", partitionColumns, found);
            if (at < 0) {
                return;
            }
            for (String column : partitionColumns) {
                if (columns.contains(column)) {
                    found.add(tokens.offset(open), "partition column '" + column + "' is also a data column");
                }
            }
        }
        if (tokens.word(at, "ROW")) {
            if (!tokens.word(at + 1, "FORMAT") || !(tokens.word(at + 2, "SERDE") || tokens.word(at + 2, "DELIMITED"))) {
                found.add(tokens.offset(at), "expected ROW FORMAT SERDE '…' or ROW FORMAT DELIMITED");
                return;
            }
            if (tokens.word(at + 2, "SERDE") && tokens.kind(at + 3) != Kind.STRING) {
                found.add(tokens.offset(at + 3), "ROW FORMAT SERDE takes the SerDe's class as a string");
                return;
            }
            // the SerDe's own options are Hive's business: skip to what comes next
            at += 3;
            while (at < tokens.size() && !tokens.word(at, "STORED") && !tokens.word(at, "LOCATION")) {
                at++;
            }
        }
        if (tokens.word(at, "STORED")) {
            if (!tokens.word(at + 1, "AS") || tokens.kind(at + 2) != Kind.WORD) {
                found.add(tokens.offset(at), "expected STORED AS <format>");
                return;
            }
            if (!STORAGE_FORMATS.contains(tokens.text(at + 2).toUpperCase(Locale.ROOT))) {
                found.add(tokens.offset(at + 2), "unknown storage format '" + tokens.text(at + 2) + "'; Athena knows " + String.join(", ", sorted(STORAGE_FORMATS)));
            }
            at += 3;
        }
        if (!tokens.word(at, "LOCATION") || tokens.kind(at + 1) != Kind.STRING) {
            found.add(tokens.offset(at), "expected LOCATION '<dataset root>/' (an external table has no location of its own)");
            return;
        }
        String location = tokens.string(at + 1);
        if (!location.equals(sourceRoot.asPrefix()) && !writeTargets.isDatasetRoot(location)) {
            found.add(tokens.offset(at + 1), "table location " + writeTargets.shown(location) + " is neither a dataset root {{output}}/<dataset>/ of a step nor the source root {{source}}/");
        }
        int locationAt = at + 1;
        at += 2;
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Integer> propertyOffsets = new LinkedHashMap<>();
        if (tokens.word(at, "TBLPROPERTIES")) {
            if (!tokens.symbol(at + 1, "(")) {
                found.add(tokens.offset(at + 1), "TBLPROPERTIES takes ('name' = 'value', …)");
                return;
            }
            int end = tokens.closing(at + 1);
            if (end < 0) {
                found.add(tokens.offset(at + 1), "TBLPROPERTIES has no closing parenthesis");
                return;
            }
            int property = at + 2;
            while (property < end) {
                if (tokens.kind(property) != Kind.STRING || !tokens.symbol(property + 1, "=") || tokens.kind(property + 2) != Kind.STRING
                        || !(property + 3 == end || tokens.symbol(property + 3, ","))) {
                    found.add(tokens.offset(property), "TBLPROPERTIES takes 'name' = 'value' pairs separated by commas");
                    return;
                }
                if (properties.put(tokens.string(property), tokens.string(property + 2)) != null) {
                    found.add(tokens.offset(property), "table property '" + tokens.string(property) + "' is given twice");
                }
                propertyOffsets.put(tokens.string(property), tokens.offset(property));
                property += 4;
            }
            at = end + 1;
        }
        if (at < tokens.size()) {
            found.add(tokens.offset(at), "unexpected '" + tokens.text(at) + "' in CREATE EXTERNAL TABLE (expected its clauses in Hive's order, TBLPROPERTIES last)");
            return;
        }
        projection(properties, propertyOffsets, partitionColumns, location, tokens.offset(locationAt), found);
    }

    /** Partition projection must know every partition column and where each partition's files are. */
    private static void projection(Map<String, String> properties, Map<String, Integer> offsets, List<String> partitionColumns, String location,
            int locationOffset, Problems found)
    {
        if (!"true".equalsIgnoreCase(properties.get("projection.enabled"))) {
            if (!partitionColumns.isEmpty()) {
                found.add(locationOffset, "a partitioned table without 'projection.enabled' = 'true' needs ALTER TABLE ADD PARTITION or MSCK for every day;"
                        + " project its partitions instead");
            }
            return;
        }
        int at = offsets.get("projection.enabled");
        for (String column : partitionColumns) {
            if (!properties.containsKey("projection." + column + ".type")) {
                found.add(at, "partition projection lacks 'projection." + column + ".type'");
            }
        }
        for (Map.Entry<String, Integer> property : offsets.entrySet()) {
            Matcher projected = PROJECTION_COLUMN.matcher(property.getKey());
            if (projected.matches() && !partitionColumns.contains(projected.group(1))) {
                found.add(property.getValue(), "'" + property.getKey() + "' projects '" + projected.group(1) + "', which is not a partition column");
            }
        }
        String template = properties.get("storage.location.template");
        if (template == null) {
            found.add(at, "partition projection needs 'storage.location.template': the layout is not Hive's default under the location");
            return;
        }
        int templateAt = offsets.get("storage.location.template");
        if (!template.startsWith(location)) {
            found.add(templateAt, "'storage.location.template' does not lie under the table's location");
        }
        if (!template.endsWith("/")) {
            found.add(templateAt, "'storage.location.template' must end with / so that day=1 never matches day=10");
        }
        for (String column : partitionColumns) {
            if (!template.contains("${" + column + "}")) {
                found.add(templateAt, "'storage.location.template' does not name ${" + column + "}: every partition would read the same folder");
            }
        }
    }

    /** A table name, {@code table} or {@code database.table}, plain or in backticks; the index after it. */
    private static int name(Tokens tokens, int at, Problems found)
    {
        int next = at;
        while (true) {
            if (tokens.kind(next) != Kind.WORD || !NAME.matcher(tokens.identifier(next)).matches()) {
                found.add(tokens.offset(next), "expected a table name of a-z, 0-9 and _ (Glue folds names to lower case)");
                return -1;
            }
            if (!tokens.symbol(next + 1, ".")) {
                return next + 1;
            }
            next += 2;
        }
    }

    /** {@code (name type [COMMENT '…'], …)}; the index after the closing parenthesis, or -1. */
    private static int columns(Tokens tokens, int open, String what, List<String> names, Problems found)
    {
        if (!tokens.symbol(open, "(")) {
            found.add(tokens.offset(open), "expected (" + what + ")");
            return -1;
        }
        int close = tokens.closing(open);
        if (close < 0 || close == open + 1) {
            found.add(tokens.offset(open), close < 0 ? "the " + what + " have no closing parenthesis" : "no " + what);
            return -1;
        }
        int at = open + 1;
        while (at < close) {
            if (tokens.kind(at) != Kind.WORD || !NAME.matcher(tokens.identifier(at)).matches()) {
                found.add(tokens.offset(at), "expected a column name of a-z, 0-9 and _");
                return -1;
            }
            if (names.contains(tokens.identifier(at))) {
                found.add(tokens.offset(at), "column '" + tokens.identifier(at) + "' is declared twice");
            }
            names.add(tokens.identifier(at));
            if (tokens.kind(at + 1) != Kind.WORD || !TYPES.contains(tokens.text(at + 1).toLowerCase(Locale.ROOT))) {
                found.add(tokens.offset(at + 1), "'" + tokens.text(at + 1) + "' is not a Hive type this project uses (" + String.join(", ", sorted(TYPES)) + ")");
                return -1;
            }
            at += 2;
            if (tokens.symbol(at, "(")) {
                // varchar(n), decimal(p, s)
                at = tokens.closing(at) + 1;
            }
            if (tokens.word(at, "COMMENT") && tokens.kind(at + 1) == Kind.STRING) {
                at += 2;
            }
            if (at < close && !tokens.symbol(at, ",")) {
                found.add(tokens.offset(at), "a comma must separate the " + what);
                return -1;
            }
            at++;
        }
        return close + 1;
    }

    private static List<String> sorted(Set<String> values)
    {
        return values.stream().sorted().toList();
    }

    /** The problems of one statement, at offsets within it. */
    private record Problems(int statement, List<StepCheck.Problem> problems)
    {
        void add(int offset, String message)
        {
            problems.add(new StepCheck.Problem(statement, Math.max(0, offset), message, false));
        }
    }

    private enum Kind
    {
        WORD,
        STRING,
        SYMBOL,
    }

    private record Token(Kind kind, String text, int offset, int depth) {}

    /**
     * The tokens of a statement: words (also {@code "quoted"} and {@code `quoted`} identifiers),
     * {@code 'strings'} (a doubled quote is a quote), and single
     * symbols, each with its parenthesis depth; comments and white space are skipped.
     */
    private static final class Tokens
    {
        private final String sql;
        private final List<Token> tokens;

        private Tokens(String sql, List<Token> tokens)
        {
            this.sql = sql;
            this.tokens = List.copyOf(tokens);
        }

        static Tokens of(String sql)
        {
            List<Token> tokens = new ArrayList<>();
            int depth = 0;
            int i = 0;
            while (i < sql.length()) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                }
                else if (sql.startsWith("--", i)) {
                    int end = sql.indexOf('\n', i);
                    i = end < 0 ? sql.length() : end;
                }
                else if (sql.startsWith("/*", i)) {
                    int end = sql.indexOf("*/", i + 2);
                    i = end < 0 ? sql.length() : end + 2;
                }
                else if (c == '\'' || c == '"' || c == '`') {
                    int end = Statements.closingQuote(sql, i, false);
                    tokens.add(new Token(c == '\'' ? Kind.STRING : Kind.WORD, sql.substring(i, end), i, depth));
                    i = end;
                }
                else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                    int end = i;
                    while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_' || sql.charAt(end) == '$')) {
                        end++;
                    }
                    tokens.add(new Token(Kind.WORD, sql.substring(i, end), i, depth));
                    i = end;
                }
                else {
                    if (c == ')') {
                        depth--;
                    }
                    tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i, depth));
                    if (c == '(') {
                        depth++;
                    }
                    i++;
                }
            }
            return new Tokens(sql, tokens);
        }

        int size()
        {
            return tokens.size();
        }

        Kind kind(int index)
        {
            return index < tokens.size() ? tokens.get(index).kind() : null;
        }

        String text(int index)
        {
            return index < tokens.size() ? tokens.get(index).text() : "";
        }

        /** Where a token starts; past the last one, the end of the statement. */
        int offset(int index)
        {
            return index < tokens.size() ? tokens.get(index).offset() : sql.length();
        }

        boolean word(int index, String word)
        {
            return kind(index) == Kind.WORD && text(index).equalsIgnoreCase(word);
        }

        boolean symbol(int index, String symbol)
        {
            return kind(index) == Kind.SYMBOL && text(index).equals(symbol);
        }

        /** A word without its quotes, in lower case as Glue keeps it. */
        String identifier(int index)
        {
            String text = text(index);
            if (text.startsWith("`") || text.startsWith("\"")) {
                text = text.substring(1, text.length() - 1);
            }
            return text.toLowerCase(Locale.ROOT);
        }

        /** A string literal's value. */
        String string(int index)
        {
            String text = text(index);
            return text.substring(1, Math.max(1, text.length() - 1)).replace("''", "'");
        }

        /** The index of the parenthesis that closes the one at {@code open}, or -1. */
        int closing(int open)
        {
            int depth = tokens.get(open).depth();
            for (int i = open + 1; i < tokens.size(); i++) {
                if (symbol(i, ")") && tokens.get(i).depth() == depth) {
                    return i;
                }
            }
            return -1;
        }

        /** The index after the parenthesized group that starts at {@code open}, or -1. */
        int afterParentheses(int open)
        {
            if (!symbol(open, "(")) {
                return -1;
            }
            int close = closing(open);
            return close < 0 ? -1 : close + 1;
        }

        /** The index after a property value: a string, a number, a word or ARRAY[…]. */
        int endOfValue(int start, int limit)
        {
            int i = start;
            int brackets = 0;
            while (i < limit) {
                if (symbol(i, "[")) {
                    brackets++;
                }
                else if (symbol(i, "]")) {
                    brackets--;
                }
                else if (brackets == 0 && symbol(i, ",")) {
                    return i;
                }
                i++;
            }
            return i;
        }
    }
}
