package org.eventetl.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Query;

/**
 * Athena's SQL, checked without Athena, for what would fail a load or, worse, let it write or read
 * the wrong files; nothing else, because Athena checks names, types, functions and properties
 * itself, when a real load runs, before any data is read or written:
 * <ul>
 * <li>parsing with Trino's grammar (here, the {@code engine-accepts} rule): Athena engine
 *     version 3 runs Trino for its queries, {@code CREATE TABLE … AS} included, so those go
 *     through Trino's own parser. {@code UNLOAD (query) TO 'location' WITH (…)} is Athena's, not
 *     Trino's: lint finds its parts ({@link AthenaUnload}) and parses the query as a query and the
 *     {@code WITH (…)} as Trino's properties. Hive's DDL ({@code CREATE EXTERNAL TABLE},
 *     {@code DROP TABLE}, which Athena runs as Hive DDL, backticks and all) cannot be parsed by
 *     Trino's grammar: an external table is checked for its locations; a drop is parsed as Trino's
 *     with its backquoted names double-quoted ({@link HiveNames});
 * <li>a {@code CREATE TABLE … AS} or an {@code UNLOAD} writes only to its own step's
 *     {@code {{target}}}, and a CTAS makes its step's own staged table ({@link AthenaOwnTargetRule});
 * <li>an external table's {@code LOCATION} and its projection's {@code storage.location.template}
 *     lie under the right root ({@link TableLocationRule}): the raw table under the source root,
 *     the others under a dataset root of the output. A table over the wrong folder reads the wrong
 *     files (or none) without an error.
 * </ul>
 * Where a CTAS or an UNLOAD writes is also held to the rule every engine's writes are
 * ({@link WriteOutsideTargetRule}), through {@link #writeTargets}.
 */
final class AthenaLint
        implements EngineLint
{
    static final String UNLOAD_TO = "UNLOAD … TO";
    static final String CTAS_LOCATION = "CREATE TABLE … AS (external_location)";

    /**
     * {@code WITH (…)} is the last clause of Trino's {@code CREATE SCHEMA}: put after it, UNLOAD's
     * {@code WITH (…)} and whatever follows are parsed as Trino's properties, and nothing may follow.
     */
    private static final String PROPERTIES_HOST = "CREATE SCHEMA unload ";

    private final SqlParser parser = new SqlParser();

    @Override
    public List<WriteTarget> writeTargets(String statement)
    {
        Optional<AthenaUnload> unload = AthenaUnload.of(statement);
        if (unload.isPresent()) {
            return List.of(new WriteTarget(UNLOAD_TO, unload.get().location(), unload.get().locationOffset()));
        }
        return AthenaCtas.writeTargets(statement);
    }

    @Override
    public StepCheck check(List<String> statements, WriteTargets writeTargets)
    {
        List<StepCheck.Problem> problems = new ArrayList<>();
        for (int index = 0; index < statements.size(); index++) {
            String statement = statements.get(index);
            Problems found = new Problems(index, problems);
            Optional<AthenaUnload> unload = AthenaUnload.of(statement);
            if (unload.isPresent()) {
                unload(unload.get(), found);
            }
            else if (HiveNames.isHiveDdl(statement)) {
                parse(HiveNames.doubleQuoted(statement), 0, "the statement", found);
            }
            else if (AthenaTable.of(statement).isEmpty()) {
                parse(statement, 0, "the statement", found);
            }
        }
        return new StepCheck(problems, problems.isEmpty());
    }

    @Override
    public void close()
    {
    }

    private void unload(AthenaUnload unload, Problems found)
    {
        Optional<AthenaUnload.Problem> shape = unload.shapeProblem();
        if (shape.isPresent()) {
            found.add(shape.get().offset(), shape.get().message());
            return;
        }
        String query = unload.query();
        try {
            if (!(parser.createStatement(query) instanceof Query)) {
                found.add(unload.queryOffset(), "UNLOAD takes a query (SELECT, WITH …, VALUES), not another statement");
            }
        }
        catch (ParsingException e) {
            found.add(unload.queryOffset() + LineMap.offsetOf(query, e.getLineNumber(), e.getColumnNumber()), "Trino's parser rejects UNLOAD's query: " + e.getErrorMessage());
        }
        String properties = unload.statement().substring(unload.afterLocation());
        parse(PROPERTIES_HOST + properties, unload.afterLocation() - PROPERTIES_HOST.length(), "UNLOAD's WITH (…)", found);
    }

    /** Parses {@code sql}, which starts at {@code offset} of the statement (before it for a host's text). */
    private void parse(String sql, int offset, String what, Problems found)
    {
        try {
            parser.createStatement(sql);
        }
        catch (ParsingException e) {
            found.add(offset + LineMap.offsetOf(sql, e.getLineNumber(), e.getColumnNumber()), "Trino's parser rejects " + what + ": " + e.getErrorMessage());
        }
    }

    /** The problems of one statement, at offsets within it. */
    private record Problems(int statement, List<StepCheck.Problem> problems)
    {
        void add(int offset, String message)
        {
            problems.add(new StepCheck.Problem(statement, Math.max(0, offset), message, false));
        }
    }
}
