package org.eventetl.load;

import java.util.List;

import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/** The summary of a finished load: per step what ran and what the engine reported, and the rejects. */
public record LoadResult(Partition partition, EngineKind engine, String runId, int sourceFiles, long sourceBytes,
        List<StepOutcome> steps, Rejects rejects, double seconds)
{
    public LoadResult
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(runId, "runId is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(rejects, "rejects is null");
    }
}
