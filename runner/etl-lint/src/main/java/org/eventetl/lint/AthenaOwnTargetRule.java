package org.eventetl.lint;

import java.util.List;
import java.util.Optional;

import org.eventetl.model.EngineKind;
import org.eventetl.storage.StagedPrefix;

/**
 * What an Athena step writes, it writes to its own {@code {{target}}}, whole: Athena writes a
 * {@code CREATE TABLE … AS} or an {@code UNLOAD} only into an empty location, and the step's
 * staged prefix is the one the run made for it (new for every run, and cleared again before a
 * failed write is retried). Into another step's prefix (allowed for DuckDB's and Trino's writes)
 * Athena would find files and fail; into a file or a folder within it the publish would move a
 * different layout. A CTAS also makes the step's own table {@code {{staged_table.<dataset>}}}:
 * later steps and the audits read that name, and afterRun drops exactly those, so any other name
 * would stay in the catalog after the run. A CTAS without {@code external_location} writes under
 * the workgroup's result location, which no publish moves.
 */
final class AthenaOwnTargetRule
        implements LintRule
{
    private static final String WHY = " (Athena writes only into an empty location, and the run made only that one for the step)";

    @Override
    public String id()
    {
        return "athena-writes-own-target";
    }

    @Override
    public String description()
    {
        return "Athena's CREATE TABLE … AS and UNLOAD write to their step's whole {{target}}, and a CTAS makes the step's {{staged_table.<dataset>}}";
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        if (step.engine() != EngineKind.ATHENA || step.rendered().isEmpty()) {
            return;
        }
        Optional<StagedPrefix> target = step.rendered().get().target();
        List<String> statements = step.statements();
        for (int index = 0; index < statements.size(); index++) {
            check(step, index, statements.get(index), target, findings);
        }
    }

    private void check(LintedStep step, int index, String statement, Optional<StagedPrefix> target, Findings findings)
    {
        Optional<AthenaUnload> unload = AthenaUnload.of(statement);
        if (unload.isPresent()) {
            // a location that is not a literal is write-outside-target's to report
            unload.get().location().ifPresent(location -> checkLocation(step, "UNLOAD", index, unload.get().locationOffset(), location, target, findings));
            return;
        }
        Optional<AthenaCtas> ctas = AthenaCtas.of(statement);
        if (ctas.isEmpty()) {
            return;
        }
        if (!ctas.get().hasLocation()) {
            findings.add(step.atStatement(this, index, ctas.get().nameOffset(), "CREATE TABLE … AS without " + AthenaCtas.EXTERNAL_LOCATION
                    + ": Athena writes the table under the workgroup's query result location, which the publish never moves; write it to {{target}}"));
            return;
        }
        ctas.get().location().ifPresent(location -> checkLocation(step, "CREATE TABLE … AS", index, ctas.get().locationOffset(), location, target, findings));
        target.ifPresent(prefix -> {
            String own = stagedTable(prefix);
            if (!ctas.get().name().equals(own)) {
                findings.add(step.atStatement(this, index, ctas.get().nameOffset(), "CREATE TABLE … AS makes " + ctas.get().name() + ": it must make the step's own "
                        + "{{staged_table." + prefix.dataset() + "}}, the table later steps and audits read and afterRun drops"));
            }
        });
    }

    private void checkLocation(LintedStep step, String writer, int index, int offset, String location, Optional<StagedPrefix> target, Findings findings)
    {
        if (target.isEmpty()) {
            findings.add(step.atStatement(this, index, offset, writer + " in a step without a target: only a step's own {{target}} is empty, as Athena needs it"));
        }
        else if (!location.equals(target.get().prefix())) {
            findings.add(step.atStatement(this, index, offset, writer + " writes to " + step.context().writeTargets().shown(location)
                    + ": it must be the step's whole {{target}}, with its trailing /" + WHY));
        }
    }

    /** The name {@code {{staged_table.<dataset>}}} renders for the step's dataset and run (PlanRenderer's). */
    private static String stagedTable(StagedPrefix target)
    {
        return "staged__" + target.dataset() + "__" + target.run().runId().value();
    }
}
