package org.eventetl.lint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.eventetl.model.EngineKind;

/**
 * A step writes files only under a partition prefix that a load clears before the step that owns
 * it runs ({@link WriteTargets}); the engine's lint says where each statement writes
 * ({@link EngineLint#writeTargets}). On Trino and Athena a statement may also write through a
 * table ({@code INSERT INTO}, {@code DELETE}, …): only into one of the run's own staged tables,
 * since any other table's files are published data (or another run's), changed before the audits ran.
 */
final class WriteOutsideTargetRule
        implements LintRule
{
    @Override
    public String id()
    {
        return "write-outside-target";
    }

    @Override
    public String description()
    {
        return "a step writes files only under {{target}} or another step's {{staged.<dataset>}}, the prefixes its publish moves into place,"
                + " and on Trino and Athena rows only into the run's own staged tables";
    }

    /** The statements that write rows through a table, by the words they start with: where the table's name is. */
    private static final Map<String, Integer> TABLE_WRITES = Map.of("INSERT", 2, "DELETE", 2, "MERGE", 2, "TRUNCATE", 2, "UPDATE", 1);
    /** {@code {{staged_table.<dataset>}}} as PlanRenderer renders it for the fixture's run. */
    private static final Pattern STAGED_TABLE = Pattern.compile("staged__[a-z0-9_]+__" + LintFixture.RUN.value());

    @Override
    public void check(LintedStep step, Findings findings)
    {
        List<String> statements = step.statements();
        for (int index = 0; index < statements.size(); index++) {
            for (WriteTarget target : step.context().engineLint().writeTargets(statements.get(index))) {
                int statement = index;
                step.context().writeTargets().problem(target)
                        .ifPresent(problem -> findings.add(step.atStatement(this, statement, target.offset(), problem)));
            }
            if (step.engine() != EngineKind.DUCKDB) {
                tableWrite(step, index, statements.get(index), findings);
            }
        }
    }

    private void tableWrite(LintedStep step, int index, String statement, Findings findings)
    {
        SqlTokens tokens = SqlTokens.of(statement);
        String verb = tokens.get(0).map(token -> token.text().toUpperCase(Locale.ROOT)).orElse("");
        Integer nameAt = TABLE_WRITES.get(verb);
        if (nameAt == null || tokens.get(nameAt).isEmpty()) {
            return;
        }
        String table = AthenaTable.unqualifiedName(tokens, nameAt);
        if (!STAGED_TABLE.matcher(table).matches()) {
            findings.add(step.atStatement(this, index, tokens.offset(nameAt), verb + " writes into the table " + table
                    + ", which is none of this run's staged tables: its files are published data (or another run's), changed before the audits ran;"
                    + " write with CREATE TABLE {{staged_table.<dataset>}} … AS into {{target}}"));
        }
    }
}
