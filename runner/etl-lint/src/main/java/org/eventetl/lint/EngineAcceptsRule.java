package org.eventetl.lint;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The engine accepts every statement of a step, an audit or a callback ({@link EngineLint#check}):
 * DuckDB prepares each one and runs those that later ones need on the fixture (an audit binds
 * against what the steps staged there); Trino's parser parses Trino's and Athena's. A statement
 * that only lacks the files an earlier step could not write is not reported: that step's finding
 * is the one to fix.
 */
final class EngineAcceptsRule
        implements LintRule
{
    @Override
    public String id()
    {
        return "engine-accepts";
    }

    @Override
    public String description()
    {
        return "the engine accepts every statement: DuckDB prepares it (and runs it on a fixture), Trino's parser parses Trino's and Athena's";
    }

    @Override
    public Set<LintedStep.Kind> appliesTo()
    {
        return EnumSet.allOf(LintedStep.Kind.class);
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        List<String> failedSteps = step.earlierFailures().steps();
        for (StepCheck.Problem problem : step.engineCheck().problems()) {
            String statement = step.statements().get(problem.statement());
            if (problem.missingInput() && step.earlierFailures().prefixes().stream().anyMatch(statement::contains)) {
                continue;
            }
            String message = problem.message();
            if (!failedSteps.isEmpty()) {
                message += " (perhaps because " + String.join(", ", failedSteps) + " could not run before it)";
            }
            findings.add(step.atStatement(this, problem.statement(), problem.offset(), message));
        }
    }
}
