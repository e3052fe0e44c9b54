package org.eventetl.storage;

import org.eventetl.model.RunId;

import static java.util.Objects.requireNonNull;

/**
 * One run's staging area, {@code <output>/_staging/<run id>/}: its staged datasets, the record of
 * which partition it loads, and the manifest of its publish. Removed once the run has published,
 * or by a later run of the partition once its owner is gone.
 */
public record RunStaging(Location output, RunId runId)
        implements OwnedPrefix
{
    public static final String FOLDER = "_staging";

    public RunStaging
    {
        requireNonNull(output, "output is null");
        requireNonNull(runId, "runId is null");
    }

    @Override
    public Location location()
    {
        return output.resolve(FOLDER).resolve(runId.value());
    }

    /** Says which partition the run loads, so that later runs of it can find what it left. */
    public Location runRecord()
    {
        return location().resolve("_run.json");
    }

    /** Lists what a publish is about to replace, written before the first dataset is touched. */
    public Location publishManifest()
    {
        return location().resolve("_publish.json");
    }

    @Override
    public String toString()
    {
        return prefix();
    }
}
