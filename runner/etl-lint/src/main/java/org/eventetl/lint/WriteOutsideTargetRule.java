package org.eventetl.lint;

import java.util.List;

/**
 * A step writes files only under a partition prefix that a load clears before the step that owns
 * it runs ({@link WriteTargets}); the engine's lint says where each statement writes
 * ({@link EngineLint#writeTargets}).
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
        return "a step writes files only under {{target}} or another step's {{staged.<dataset>}}, the prefixes its publish moves into place";
    }

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
        }
    }
}
