package org.eventetl.lint;

import java.util.List;
import java.util.Optional;

import org.eventetl.model.EngineKind;
import org.eventetl.storage.StagedPrefix;

/**
 * Athena's {@code UNLOAD} writes to its step's whole {@code {{target}}}: Athena writes only into an
 * empty location, and the runner clears and checks only that prefix before the step. Into another
 * step's prefix (allowed for DuckDB's and Trino's writes) or a file in its own, the second load of
 * a partition would fail on the files of the first.
 */
final class UnloadOwnTargetRule
        implements LintRule
{
    @Override
    public String id()
    {
        return "unload-writes-own-target";
    }

    @Override
    public String description()
    {
        return "Athena's UNLOAD writes to its step's whole {{target}}, the one empty prefix the runner cleared for it";
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        if (step.engine() != EngineKind.ATHENA || step.rendered().isEmpty()) {
            return;
        }
        Optional<String> target = step.rendered().get().target().map(StagedPrefix::prefix);
        List<String> statements = step.statements();
        for (int index = 0; index < statements.size(); index++) {
            Optional<AthenaUnload> unload = AthenaUnload.of(statements.get(index));
            Optional<String> location = unload.flatMap(AthenaUnload::location);
            if (location.isEmpty()) {
                // not an UNLOAD, or one whose location is not a literal: write-outside-target says so
                continue;
            }
            int offset = unload.get().locationOffset();
            if (target.isEmpty()) {
                findings.add(step.atStatement(this, index, offset,
                        "UNLOAD in a step without a target: only a step's own cleared {{target}} is empty, as Athena needs it"));
            }
            else if (!location.get().equals(target.get())) {
                findings.add(step.atStatement(this, index, offset, "UNLOAD writes to " + step.context().writeTargets().shown(location.get())
                        + ": it must be the step's whole {{target}}, with its trailing /"
                        + " (Athena writes only into an empty location, and the runner clears and checks only that one before the step)"));
            }
        }
    }
}
