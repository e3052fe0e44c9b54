package org.eventetl.lint;

import java.util.ArrayList;
import java.util.List;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;

/**
 * Trino's SQL is checked with Trino's own parser (io.trino:trino-parser): the grammar of the engine
 * that also runs under Athena. Parsing needs no server, so lint stays a dry run; names, types and
 * functions are only checked when a real load runs (the Trino tests do that against a real server).
 * A step writes its staged table with {@code CREATE TABLE … WITH (external_location = …) AS}, the
 * same statement as Athena's ({@link AthenaCtas} reads it): its location is held to the rule every
 * engine's writes are ({@link WriteOutsideTargetRule}).
 */
final class TrinoLint
        implements EngineLint
{
    private final SqlParser parser = new SqlParser();

    @Override
    public List<WriteTarget> writeTargets(String statement)
    {
        return AthenaCtas.writeTargets(statement);
    }

    @Override
    public StepCheck check(List<String> statements, WriteTargets writeTargets)
    {
        List<StepCheck.Problem> problems = new ArrayList<>();
        for (int index = 0; index < statements.size(); index++) {
            String statement = statements.get(index);
            try {
                parser.createStatement(statement);
            }
            catch (ParsingException e) {
                problems.add(new StepCheck.Problem(index, LineMap.offsetOf(statement, e.getLineNumber(), e.getColumnNumber()),
                        "Trino's parser rejects the statement: " + e.getErrorMessage(), false));
            }
        }
        return new StepCheck(problems, problems.isEmpty());
    }

    @Override
    public void close()
    {
    }
}
