package org.eventetl.render;

import java.util.List;
import java.util.Optional;

import org.eventetl.plan.Checksum;
import org.eventetl.plan.Step;
import org.eventetl.storage.TargetPrefix;

import static java.util.Objects.requireNonNull;

/**
 * A step rendered for one partition and engine: the exact SQL that will run, the prefix that is
 * cleared before it, and the checksum of that SQL (so a changed parameter or partial shows up in
 * the history, not only a changed file).
 */
public record RenderedStep(Step step, String engine, String sql, List<String> statements, Optional<TargetPrefix> target)
{
    public RenderedStep
    {
        requireNonNull(step, "step is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(sql, "sql is null");
        statements = List.copyOf(requireNonNull(statements, "statements is null"));
        requireNonNull(target, "target is null");
    }

    public String renderedChecksum()
    {
        return Checksum.of(sql);
    }

    /** Whether a statement writes this step's own target (rows it writes are the step's rows). */
    public boolean writesTarget(String statement)
    {
        return target.map(prefix -> statement.contains(prefix.prefix())).orElse(false);
    }

    /** Whether a statement writes somewhere else under the output root (not a temporary table). */
    public boolean writesOutput(String statement)
    {
        return target.map(prefix -> statement.contains(prefix.output().asPrefix())).orElse(false);
    }
}
