package org.eventetl.load;

import java.util.Optional;

import org.eventetl.engine.StepStatistics;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.StagedPrefix;

import static java.util.Objects.requireNonNull;

/** How one step of a load went: what the engine reported, or {@code skipped} when its condition did not hold. */
public record StepRun(RenderedStep step, boolean skipped, StepStatistics statistics)
{
    public StepRun
    {
        requireNonNull(step, "step is null");
        requireNonNull(statistics, "statistics is null");
    }

    public String id()
    {
        return step.step().id();
    }

    public Optional<StagedPrefix> target()
    {
        return step.target();
    }
}
