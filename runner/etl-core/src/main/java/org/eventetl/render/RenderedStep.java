package org.eventetl.render;

import java.util.List;
import java.util.Optional;

import org.eventetl.plan.Step;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.StagedPrefix;

import static java.util.Objects.requireNonNull;

/**
 * A step rendered for one run of a partition on an engine: the exact SQL that will run, the staged
 * prefix it writes, and the checksum of that SQL with the run's id taken out (so that a changed
 * parameter or partial shows in the history, while two runs of the same SQL compare equal).
 */
public record RenderedStep(Step step, String engine, String sql, List<String> statements, Optional<StagedPrefix> target, String renderedChecksum)
{
    public RenderedStep
    {
        requireNonNull(step, "step is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(sql, "sql is null");
        statements = List.copyOf(requireNonNull(statements, "statements is null"));
        requireNonNull(target, "target is null");
        requireNonNull(renderedChecksum, "renderedChecksum is null");
    }

    /** Whether a statement writes this step's own staged prefix (rows it writes are the step's rows). */
    public boolean writesTarget(String statement)
    {
        return target.map(prefix -> statement.contains(prefix.prefix())).orElse(false);
    }

    /** Whether a statement writes another staged prefix of the run (a dataset of an earlier step). */
    public boolean writesElsewhere(String statement)
    {
        return target.map(StagedPrefix::run).map(RunStaging::prefix).map(statement::contains).orElse(false);
    }
}
