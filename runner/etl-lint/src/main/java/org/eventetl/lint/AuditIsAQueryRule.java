package org.eventetl.lint;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An audit is a query over the run's staged outputs: a load runs its statements and reads the rows
 * that break its expectation from the last one (Engine.query), before anything is published. So
 * its last statement is a query ({@code SELECT}, {@code WITH …}), and none of its statements
 * writes ({@code COPY}, {@code CREATE}, {@code INSERT}, {@code UNLOAD}, {@code DELETE}, …): a write
 * would run on every load, change the staged outputs the other audits read or leave files and
 * tables that nothing clears. What a statement is, this rule reads from its first word (after
 * {@code WITH …}, the first word of the statement the CTEs are for), the same for every engine.
 */
final class AuditIsAQueryRule
        implements LintRule
{
    static final String ID = "audit-is-a-query";
    /** Statements that write files, rows or the catalog. */
    private static final Set<String> WRITES = Set.of("COPY", "CREATE", "INSERT", "UPDATE", "DELETE", "MERGE", "UNLOAD", "DROP", "ALTER", "TRUNCATE", "EXPORT");
    /** Statements that are queries: their rows are the result ({@code FROM …} is DuckDB's query with its FROM first). */
    private static final Set<String> QUERIES = Set.of("SELECT", "WITH", "VALUES", "TABLE", "FROM");
    /** The words that may follow {@code WITH …}'s CTEs: the statement they are for. */
    private static final Set<String> AFTER_WITH = Set.of("SELECT", "VALUES", "TABLE", "FROM", "INSERT", "UPDATE", "DELETE", "MERGE");

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String description()
    {
        return "an audit writes nothing (no COPY, CREATE, INSERT, UNLOAD, DELETE…) and its last statement is a query (SELECT, WITH…) returning the failing rows";
    }

    @Override
    public Set<LintedStep.Kind> appliesTo()
    {
        return Set.of(LintedStep.Kind.AUDIT);
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        List<String> statements = step.statements();
        for (int index = 0; index < statements.size(); index++) {
            Optional<SqlToken> verb = verb(statements.get(index));
            if (verb.isEmpty()) {
                continue;
            }
            String word = verb.get().text().toUpperCase(Locale.ROOT);
            if (WRITES.contains(word)) {
                findings.add(step.atStatement(this, index, verb.get().offset(),
                        word + " in an audit: an audit writes nothing, it returns the rows of the staged outputs that break its expectation"));
            }
            // a statement the engine refused is engine-accepts' finding: what it is, nobody can tell
            else if (index == statements.size() - 1 && !QUERIES.contains(word) && !verb.get().isSymbol("(") && !refused(step, index)) {
                findings.add(step.atStatement(this, index, verb.get().offset(),
                        "the audit's last statement is " + word + ", not a query (SELECT, WITH…): a load reads the audit's failing rows from it"));
            }
        }
    }

    private static boolean refused(LintedStep step, int statement)
    {
        return step.engineCheck().problems().stream().anyMatch(problem -> problem.statement() == statement);
    }

    /**
     * The token that says what the statement does: its first, or for {@code WITH …} the first word
     * outside parentheses that starts the statement its CTEs are for (the word {@code WITH} itself
     * when there is none, as in {@code WITH a AS (…) (SELECT …)}). Empty for a statement of comments only.
     */
    static Optional<SqlToken> verb(String statement)
    {
        SqlTokens tokens = SqlTokens.of(statement);
        Optional<SqlToken> first = tokens.get(0);
        if (!tokens.word(0, "WITH")) {
            return first;
        }
        for (int index = 1; index < tokens.size(); index++) {
            SqlToken token = tokens.get(index).orElseThrow();
            if (token.depth() == 0 && token.kind() == SqlToken.Kind.WORD && AFTER_WITH.contains(token.text().toUpperCase(Locale.ROOT))) {
                return Optional.of(token);
            }
        }
        return first;
    }
}
