package org.eventetl.engine.athena;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eventetl.render.Statements;

/**
 * What a statement does, as far as the engine counts rows and reads statistics, told by its first
 * words (the runner's own rendered SQL, not any SQL: its steps, audits and callbacks).
 */
enum StatementKind
{
    /** {@code CREATE EXTERNAL TABLE}: Hive DDL, metadata only */
    EXTERNAL_TABLE,
    /** {@code DROP TABLE}: metadata only for an external table, its files stay */
    DROP_TABLE,
    /** {@code CREATE TABLE … AS}: writes a table's files; GetQueryResults' UpdateCount is the rows it inserted */
    CREATE_TABLE_AS,
    /** {@code INSERT INTO}: appends; UpdateCount is the rows it inserted */
    INSERT,
    /** {@code UNLOAD}: writes files and no table; Athena documents no count of its rows */
    UNLOAD,
    /** {@code SELECT} or {@code WITH}: a query whose rows come back in GetQueryResults */
    QUERY,
    OTHER;

    private static final Pattern CREATED_TABLE = Pattern.compile("(?is)^CREATE\\s+TABLE\\s+(\\S+?)\\s+(WITH\\s*\\(|AS\\b).*");

    static StatementKind of(String sql)
    {
        String statement = Statements.withoutLeadingComments(sql).toUpperCase(Locale.ROOT);
        if (statement.startsWith("CREATE EXTERNAL TABLE")) {
            return EXTERNAL_TABLE;
        }
        if (statement.startsWith("DROP TABLE")) {
            return DROP_TABLE;
        }
        if (statement.startsWith("CREATE TABLE") && CREATED_TABLE.matcher(Statements.withoutLeadingComments(sql)).matches()) {
            return CREATE_TABLE_AS;
        }
        if (statement.startsWith("INSERT")) {
            return INSERT;
        }
        if (statement.startsWith("UNLOAD")) {
            return UNLOAD;
        }
        if (statement.startsWith("SELECT") || statement.startsWith("WITH")) {
            return QUERY;
        }
        return OTHER;
    }

    /** Whether the statement writes data files (and so must find its location empty, and leaves files when it fails). */
    boolean writes()
    {
        return switch (this) {
            case CREATE_TABLE_AS, INSERT, UNLOAD -> true;
            case EXTERNAL_TABLE, DROP_TABLE, QUERY, OTHER -> false;
        };
    }

    /** The table a {@code CREATE TABLE … AS} makes, as written (quoted and qualified). */
    static Optional<String> createdTable(String sql)
    {
        Matcher matcher = CREATED_TABLE.matcher(Statements.withoutLeadingComments(sql));
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
