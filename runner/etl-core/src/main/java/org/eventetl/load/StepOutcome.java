package org.eventetl.load;

import java.util.Optional;

import org.eventetl.engine.StepStats;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.TargetPrefix;

import static java.util.Objects.requireNonNull;

/** How one step of a load went; {@code skipped} when its condition did not hold (its target was still cleared). */
public record StepOutcome(RenderedStep step, boolean skipped, int clearedObjects, StepStats stats)
{
    public StepOutcome
    {
        requireNonNull(step, "step is null");
        requireNonNull(stats, "stats is null");
    }

    public String id()
    {
        return step.step().id();
    }

    public Optional<TargetPrefix> target()
    {
        return step.target();
    }
}
